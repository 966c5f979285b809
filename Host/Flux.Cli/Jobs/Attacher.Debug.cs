// flux job attach --debug / --debug-emulate: the MPIR interface of a parallel debugger's launch (flux-core's job/mpir.c).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.Cli.Jobs;

internal sealed partial class Attacher
{
    /// <summary>--debug or --debug-emulate: fetch the MPIR process table at shell.start (MPIR_being_debugged).</summary>
    public bool Debug { get; init; }

    /// <summary>--debug-emulate: as --debug, and the tasks are always continued (SIGCONT) afterwards, as for a test.</summary>
    public bool DebugEmulate { get; init; }

    /// <summary>-v: the number of times given (2 prints totalview_jobid, as flux-core's attach).</summary>
    public int Verbose { get; init; }

    /// <summary>
    /// flux-core refuses to debug a job that has finished running ("cannot debug job that has finished
    /// running"); a job that never existed is ENOENT. Read from the job's eventlog: a finish or clean
    /// event (or an exception that ended it before it ran) means there is nothing left to attach to.
    /// </summary>
    public async Task CheckDebuggableAsync(CancellationToken ct)
    {
        var text = await h.KvsGetStringAsync(_key + ".eventlog", cancellationToken: ct).ConfigureAwait(false)
            ?? throw new FluxException(Errno.ENOENT, "no eventlog");
        if (Eventlog.Parse(text).Any(e => e.Name is "finish" or "clean"))
        {
            throw new FluxException(Errno.EINVAL, "cannot debug job that has finished running");
        }
        if (Verbose > 1)
        {
            await Console.Error.WriteLineAsync($"{prog}: totalview_jobid={id.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// At shell.start: fetch the proctable from the leader shell's <c>SERVICE.proctable</c> and publish it
    /// as MPIR_proctable (mpir_setup_interface). A .NET process cannot hold the MPIR_* symbols a debugger
    /// reads from the starter's memory, so the table is printed on stderr instead, one task per line
    /// (<c>MPIR_proctable[TASKID]: host=H executable=E pid=P</c>), for a debugger or script to attach to
    /// the pids. Then, when the tasks were stopped in exec (<c>sync</c>) or under --debug-emulate, SIGCONT
    /// goes to the job (flux job kill), as flux-core's gen_attach_signal does.
    /// </summary>
    private async Task SetupMpirAsync(string service, JsonObject? context, CancellationToken ct)
    {
        var sync = context?["sync"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        JsonObject table;
        try
        {
            table = await h.RpcAsync(service + ".proctable", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false)
                ?? throw new FluxException(Errno.EPROTO, "empty response");
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"{service}.proctable: {ex.Message}", ex);
        }
        var text = new StringBuilder();
        foreach (var (taskId, host, exe, pid) in DecodeProcTable(table))
        {
            text.Append(CultureInfo.InvariantCulture, $"MPIR_proctable[{taskId}]: host={host} executable={exe} pid={pid}\n");
        }
        await Console.Error.WriteAsync(text.ToString()).ConfigureAwait(false);
        await Console.Error.FlushAsync(ct).ConfigureAwait(false);
        if (sync || DebugEmulate)
        {
            await h.RpcAsync("job-manager.kill", new JsonObject { ["id"] = id, ["signum"] = 18 }, NodeId.Any, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// proctable_from_json and mpir_proctable_create: the tasks of flux-core's encoded table (see the mpir
    /// shell builtin), in task id order. A table that does not decode is EPROTO with what is wrong.
    /// </summary>
    internal static IReadOnlyList<(long TaskId, string Host, string Executable, long Pid)> DecodeProcTable(JsonObject table)
    {
        JsonArray Field(string name) => table[name] as JsonArray
            ?? throw new FluxException(Errno.EPROTO, $"proctable: '{name}' is missing or not an array");
        var hosts = NodeList(Field("hosts"), "hosts");
        var exes = NodeList(Field("executables"), "executables");
        var ids = RangeList(Field("ids"), "ids");
        var pids = RangeList(Field("pids"), "pids");
        if (hosts.Count != ids.Count || exes.Count != ids.Count || pids.Count != ids.Count)
        {
            throw new FluxException(Errno.EPROTO, $"proctable: {ids.Count} ids but {hosts.Count} hosts, {exes.Count} executables and {pids.Count} pids");
        }
        return [.. ids.Select((taskId, i) => (taskId, hosts[i], exes[i], pids[i])).OrderBy(t => t.taskId)];
    }

    /// <summary>rangelist_from_json: integers delta-encoded from the last value of the entry before.</summary>
    internal static List<long> RangeList(JsonArray entries, string what)
    {
        var values = new List<long>();
        long last = 0;
        foreach (var entry in entries)
        {
            long start;
            long extent = 0;
            long repeat = 0;
            if (entry is JsonArray a && a.Count is 2 or 3)
            {
                start = Integer(a[0], what);
                extent = Integer(a[1], what);
                repeat = a.Count == 3 ? Integer(a[2], what) : 0;
            }
            else
            {
                start = Integer(entry, what);
            }
            for (var r = 0L; r <= repeat; r++)
            {
                var min = start + last;
                if (extent < 0)
                {
                    // A run of one value repeated.
                    for (var k = 0L; k <= -extent; k++)
                    {
                        values.Add(min);
                    }
                    last = min;
                }
                else
                {
                    for (var k = 0L; k <= extent; k++)
                    {
                        values.Add(min + k);
                    }
                    last = min + extent;
                }
            }
        }
        return values;
    }

    /// <summary>nodelist_from_json: a name, or [prefix, rangelist of suffixes] (-1: no suffix).</summary>
    private static List<string> NodeList(JsonArray entries, string what)
    {
        var names = new List<string>();
        foreach (var entry in entries)
        {
            if (entry is JsonValue v && v.TryGetValue(out string? name))
            {
                names.Add(name);
            }
            else if (entry is JsonArray { Count: 2 } pair && pair[0] is JsonValue p && p.TryGetValue(out string? prefix) && pair[1] is JsonArray suffixes)
            {
                names.AddRange(RangeList(suffixes, what).Select(n => n >= 0 ? prefix + n.ToString(CultureInfo.InvariantCulture) : prefix));
            }
            else
            {
                throw new FluxException(Errno.EPROTO, $"proctable: bad '{what}' entry {entry?.ToJsonString() ?? "null"} (expected a string or [prefix, rangelist])");
            }
        }
        return names;
    }

    private static long Integer(JsonNode? node, string what) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FluxException(Errno.EPROTO, $"proctable: bad '{what}' entry {node?.ToJsonString() ?? "null"} (expected an integer)");
}
