// Housekeeping (housekeeping.c): a job's resources go to a script per rank after the job, and back to the scheduler only as ranks finish it.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Subprocess;
using Flux.SystemScripts;

namespace Flux.Modules.JobManager;

/// <summary>
/// With <c>[job-manager.housekeeping]</c>, a job leaving CLEANUP hands its resources to
/// housekeeping instead of the scheduler: the job posts <c>free</c> and goes on to INACTIVE, while
/// the command runs once per rank of R (as the instance owner; with one broker per instance, every
/// rank's run is on this broker) and each rank is released with a partial <c>sched.free</c> as
/// <c>release-after</c> says. A rank whose run fails is drained first (the admin guide: "If
/// housekeeping fails on any nodes, those nodes are drained"; flux-core leaves that to its systemd
/// unit, which does not exist here).
/// </summary>
public sealed partial class JobManagerModule
{
    private HousekeepingConfig? _housekeeping;
    private readonly List<HousekeepingAllocation> _housekept = [];
    private readonly CancellationTokenSource _housekeepingStop = new();
    private string? _localUri;

    private async ValueTask LoadHousekeepingAsync(CancellationToken cancellationToken)
    {
        _housekeeping = HousekeepingConfig.Read(flux.Config);
        _localUri = await flux.GetAttrAsync("local-uri", cancellationToken).ConfigureAwait(true);
    }

    /// <summary>Starts housekeeping for a job's resources; false when it is not configured (free them now).</summary>
    private bool StartHousekeeping(Job job)
    {
        if (_housekeeping is not { } conf || job.R is null)
        {
            return false;
        }
        var f58 = Fluid.Encode(job.Id, FluidEncoding.F58);
        Rv1 r;
        try
        {
            r = Rv1.Parse(Encoding.UTF8.GetString(job.R));
        }
        catch (FormatException ex)
        {
            HousekeepingLog.StartFailed(log, f58, ex.Message);
            return false;
        }
        var a = new HousekeepingAllocation(job.Id, job.UserId, job.Priority, job.TSubmit, r);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FLUX_JOB_ID"] = job.Id.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_USERID"] = job.UserId.ToString(CultureInfo.InvariantCulture),
        };
        if (_localUri is not null)
        {
            env["FLUX_URI"] = _localUri;
        }
        var environment = ScriptEnvironment.Build(env);
        _housekept.Add(a);
        HousekeepingLog.Started(log, f58);
        foreach (var rank in r.Ranks)
        {
            var host = a.HostOf(rank);
            var run = ScriptRun.Start(conf.Command, environment, (stream, line) =>
            {
                if (stream == "stderr")
                {
                    HousekeepingLog.ErrorOutput(log, host, rank, f58, line);
                }
                else
                {
                    HousekeepingLog.Output(log, host, rank, f58, line);
                }
            });
            a.Runs[rank] = run;
            flux.Background(HousekeepRankAsync(a, rank, run), "housekeeping", onFault: _ => HousekeepingRankDone(a, rank));
        }
        if (a.Pending.Count == 0)
        {
            HousekeepingRelease(a);
            _housekept.Remove(a);
        }
        return true;
    }

    private async Task HousekeepRankAsync(HousekeepingAllocation a, uint rank, ScriptRun run)
    {
        // A quick script may be done already: its rank is released from the loop, after the job's free.
        await Task.Yield();
        var status = await run.Completion.ConfigureAwait(true);
        if (status != 0 && !a.Abandoned)
        {
            var f58 = a.F58;
            HousekeepingLog.Failed(log, a.HostOf(rank), rank, f58,
                WaitStatus.IsSignaled(status) ? SignalName(WaitStatus.TermSignal(status)) : "nonzero exit code");
            // Drained before the rank is released, so the scheduler never hands it out meanwhile.
            try
            {
                await flux.RpcAsync("resource.drain", new JsonObject
                {
                    ["targets"] = rank.ToString(CultureInfo.InvariantCulture),
                    ["reason"] = $"housekeeping failed for job {f58}",
                    ["mode"] = "update",
                }, NodeId.Any, _housekeepingStop.Token).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is FluxException or OperationCanceledException)
            {
                HousekeepingLog.DrainFailed(log, rank, f58, ex.Message);
            }
        }
        HousekeepingRankDone(a, rank);
    }

    /// <summary>A rank finished housekeeping (housekeeping_finish_one): release what release-after allows.</summary>
    private void HousekeepingRankDone(HousekeepingAllocation a, uint rank)
    {
        if (a.Runs.Remove(rank, out var run))
        {
            run.Dispose();
        }
        if (a.Abandoned || !a.Pending.Remove(rank) || _housekeeping is not { } conf)
        {
            return;
        }
        if (a.Pending.Count == 0 || conf.ReleaseAfter == 0 || a.TimerExpired)
        {
            HousekeepingRelease(a);
        }
        if (!a.TimerArmed && conf.ReleaseAfter > 0 && a.Pending.Count > 0)
        {
            a.TimerArmed = true;
            flux.Background(ReleaseAfterAsync(a, conf.ReleaseAfter), "housekeeping release-after timer");
        }
        if (a.Pending.Count == 0)
        {
            _housekept.Remove(a);
            HousekeepingLog.Complete(log, a.F58);
        }
    }

    private async Task ReleaseAfterAsync(HousekeepingAllocation a, double seconds)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)), _housekeepingStop.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!a.Abandoned && a.Pending.Count > 0)
        {
            a.TimerExpired = true;
            HousekeepingRelease(a);
        }
    }

    /// <summary>Sends the scheduler the ranks whose housekeeping is done and not yet released (allocation_release).</summary>
    private void HousekeepingRelease(HousekeepingAllocation a)
    {
        var done = a.R.Ranks.Where(r => !a.Pending.Contains(r)).ToList();
        if (done.Count == 0)
        {
            return;
        }
        var ranks = new IdSet(done);
        var part = a.R.CopyRanks(ranks);
        SendSchedFree(a.Id, Encoding.UTF8.GetBytes(part.ToJson().ToJsonString()), final: a.Pending.Count == 0);
        a.R = a.R.CopyRanks(a.R.Ranks.Subtract(ranks));
        a.Free.UnionWith(done);
    }

    /// <summary>
    /// RFC 27 hello: resources still in housekeeping are allocated, less what was released ("free");
    /// a scheduler that cannot take partial releases gets none, and those runs are ended.
    /// </summary>
    private void HousekeepingHello(Message msg, bool partialOk)
    {
        foreach (var a in _housekept.ToList())
        {
            if (a.Free.Count > 0 && !partialOk)
            {
                HousekeepingLog.Terminated(log, string.Join(",", a.Pending.Select(a.HostOf).Distinct()), new IdSet(a.Pending).Encode(IdSetFormat.Range),
                    a.F58, "scheduler does not support restart with partially released resources");
                AbandonHousekeeping(a);
                continue;
            }
            var o = new JsonObject { ["id"] = a.Id, ["priority"] = a.Priority, ["userid"] = a.UserId, ["t_submit"] = a.TSubmit };
            if (a.Free.Count > 0)
            {
                o["free"] = new IdSet(a.Free).Encode(IdSetFormat.Range);
            }
            flux.Respond(msg, o);
        }
    }

    private void AbandonHousekeeping(HousekeepingAllocation a)
    {
        a.Abandoned = true;
        foreach (var run in a.Runs.Values)
        {
            run.Dispose();
        }
        a.Runs.Clear();
        _housekept.Remove(a);
    }

    /// <summary>
    /// job-manager.housekeeping-kill (housekeeping.c housekeeping_kill_cb): <c>{signum, jobid?, ranks?}</c> signals the
    /// housekeeping runs of one job (or of every job) on the given ranks (or on all of them). The owner only.
    /// </summary>
    private ValueTask OnHousekeepingKill(Message msg)
    {
        var req = msg.GetJson();
        int signum = req["signum"] is JsonValue s && s.TryGetValue(out int n) ? n : throw new FluxException(Errno.EPROTO, "housekeeping-kill: signum (an integer) is required");
        if (signum is < 1 or > 64)
        {
            throw new FluxException(Errno.EINVAL, string.Create(CultureInfo.InvariantCulture, $"invalid signal number {signum}"));
        }
        ulong? jobid = req["jobid"] is JsonValue j ? (j.TryGetValue(out ulong id) ? id : throw new FluxException(Errno.EPROTO, "housekeeping-kill: jobid must be an integer")) : null;
        IdSet? ranks = null;
        if (req["ranks"] is JsonValue r)
        {
            if (!r.TryGetValue(out string? text) || !IdSet.TryParse(text, out var parsed))
            {
                throw new FluxException(Errno.EINVAL, $"housekeeping-kill: invalid ranks '{r.ToJsonString()}' (expected an idset such as 0-3,7)");
            }
            ranks = parsed;
        }
        foreach (var a in _housekept)
        {
            if (jobid is { } want && want != a.Id && want != ulong.MaxValue)
            {
                continue;
            }
            foreach (var (rank, run) in a.Runs)
            {
                if (ranks is null || ranks.Contains(rank))
                {
                    run.Signal(signum);
                }
            }
        }
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>At unload: every run is killed (SIGKILL to its group), so unloading is bounded.</summary>
    private async Task StopHousekeepingAsync()
    {
        await _housekeepingStop.CancelAsync().ConfigureAwait(true);
        foreach (var a in _housekept.ToList())
        {
            AbandonHousekeeping(a);
        }
    }
}
