// One running prolog or epilog of a job: a run per rank, its timeout and kill timer, and which ranks failed (perilog.c struct perilog_proc).
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Subprocess;
using Flux.SystemScripts;

namespace Flux.Jobtap.Perilog;

internal sealed class PerilogProc(PerilogProcDesc desc, ulong id, uint userId, JsonNode? r, IdSet ranks, Rv1? rv)
{
    public PerilogProcDesc Desc => desc;

    public ulong Id => id;

    public uint UserId => userId;

    /// <summary>R as the job's IN gave it, for an epilog started when the prolog fails.</summary>
    public JsonNode? R => r;

    public IdSet Ranks => ranks;

    public string F58 { get; } = Fluid.Encode(id, FluidEncoding.F58);

    public Dictionary<uint, ScriptRun> Runs { get; } = [];

    /// <summary>Raw wait status of each rank whose run has ended.</summary>
    public Dictionary<uint, int> Status { get; } = [];

    public bool Canceled { get; set; }

    public bool TimedOut { get; set; }

    /// <summary>The kill timer is running (SIGTERM sent).</summary>
    public bool Killing { get; set; }

    /// <summary>The finish event is posted or on its way (drain pending): later completions change nothing.</summary>
    public bool Finishing { get; set; }

    public CancellationTokenSource Timers { get; } = new();

    public int ActiveCount => Runs.Count - Status.Count;

    /// <summary>The largest wait status of the ranks that ended (bulk_exec_rc).</summary>
    public int Rc => Status.Count == 0 ? 0 : Status.Values.Max();

    public bool Failed => Canceled || TimedOut || Rc != 0;

    /// <summary>Ranks whose run failed and/or still runs.</summary>
    public IdSet Select(bool failed, bool active) =>
        new(ranks.Where(rank => (failed && Status.TryGetValue(rank, out var s) && s != 0) || (active && !Status.ContainsKey(rank))));

    public string HostsOf(IdSet set)
    {
        if (rv is null || set.IsEmpty)
        {
            return "unknown";
        }
        var hosts = rv.CopyRanks(set).Nodelist;
        return hosts.IsEmpty ? "unknown" : hosts.ToString();
    }

    public string HostOf(uint rank) => rv?.Nodes.FirstOrDefault(n => n.Rank == rank)?.Hostname ?? "unknown";

    /// <summary>Signals every run still going.</summary>
    public void Kill(int signum)
    {
        foreach (var (rank, run) in Runs)
        {
            if (!Status.ContainsKey(rank))
            {
                run.Signal(signum);
            }
        }
    }

    /// <summary>The fatal exception's note for a failed prolog (perilog.c emit_finish_event).</summary>
    public string PrologFailure()
    {
        var failed = Select(failed: true, active: TimedOut);
        var where = $"on {HostsOf(failed)} (rank {failed.Encode(IdSetFormat.Range)})";
        if (TimedOut)
        {
            return $"prolog timed out {where}";
        }
        var status = Rc;
        var code = WaitStatus.IsExited(status) ? WaitStatus.ExitStatus(status) : -1;
        if (WaitStatus.IsSignaled(status) || code > 128)
        {
            return $"prolog killed by signal {(WaitStatus.IsSignaled(status) ? WaitStatus.TermSignal(status) : code - 128)} {where}";
        }
        return $"prolog exited with code={code} {where}";
    }

    public void Dispose()
    {
        Timers.Cancel();
        Timers.Dispose();
        foreach (var run in Runs.Values)
        {
            run.Dispose();
        }
    }
}
