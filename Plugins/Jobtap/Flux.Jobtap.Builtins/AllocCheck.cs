// alloc-check (loadable, not a builtin): a fatal exception on a job given resources another job already holds.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

/// <summary>
/// As flux-core's alloc-check.so: subscribes to every new job, adds its R to the allocated set at
/// <c>alloc</c> and takes it out at <c>free</c> (or at a fatal <c>scheduler-restart</c> exception, after
/// which job-manager frees without a free event). A core or GPU granted twice raises a fatal
/// <c>alloc-check</c> exception "resources already allocated". Jobs allocated before it was loaded are
/// not known to it. Load it with <c>flux jobtap load alloc-check</c>.
/// </summary>
[FluxPlugin("alloc-check", PluginKind.Jobtap)]
public sealed class AllocCheck(IJobtap jobtap) : IFluxPlugin
{
    private const string AuxKey = "R";

    // Allocated resources: (rank << 32) | (gpu ? 1 << 31 : 0) | index.
    private readonly HashSet<long> _allocated = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // job.event.* arrive only for subscribed jobs: every job is subscribed as it is introduced.
        plugin.Handle("job.new", (_, _) =>
        {
            jobtap.Subscribe(IJobtap.CurrentJob);
            return true;
        });
        plugin.Handle("job.event.alloc", OnAlloc);
        plugin.Handle("job.event.free", (_, _) => Free());
        plugin.Handle("job.event.exception", (_, args) => !IsHelloFailure(args.In["entry"]) || Free());
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["allocated"] = _allocated.Count;
            return true;
        });
    }

    private bool OnAlloc(string topic, PluginArgs args)
    {
        if (args.In["R"] is not JsonObject r)
        {
            return args.Error("alloc-check: the job has no R at alloc");
        }
        long[] keys;
        try
        {
            keys = Keys(r);
        }
        catch (FluxException ex)
        {
            return args.Error($"alloc-check: {ex.Message}");
        }
        if (_allocated.Overlaps(keys))
        {
            // Nothing of it is added: freeing this job must not free what the other job holds.
            jobtap.RaiseException(IJobtap.CurrentJob, "alloc-check", 0, "resources already allocated");
            return true;
        }
        _allocated.UnionWith(keys);
        jobtap.SetAux(IJobtap.CurrentJob, AuxKey, keys);
        return true;
    }

    private bool Free()
    {
        if (jobtap.GetAux(IJobtap.CurrentJob, AuxKey) is long[] keys)
        {
            _allocated.ExceptWith(keys);
            jobtap.SetAux(IJobtap.CurrentJob, AuxKey, null);
        }
        return true;
    }

    // A fatal scheduler-restart exception: the scheduler could not take the job back after a reload.
    private static bool IsHelloFailure(JsonNode? entry) =>
        entry?["context"] is JsonObject c
        && c["severity"] is JsonValue s && s.TryGetValue(out int severity) && severity == 0
        && c["type"] is JsonValue t && t.TryGetValue(out string? type) && type == "scheduler-restart";

    // The ranks' cores and GPUs, from R_lite only (Rv1.ParseRLite): the rest of R (nodelist, times,
    // properties) is not needed here, and reading the whole of it was most of this plugin's cost.
    private static long[] Keys(JsonObject r)
    {
        var keys = new List<long>();
        foreach (var entry in Rv1.ParseRLite(r))
        {
            foreach (var rank in entry.Ranks)
            {
                var high = (long)rank << 32;
                foreach (var core in entry.Cores)
                {
                    keys.Add(high | core);
                }
                foreach (var gpu in entry.Gpus)
                {
                    keys.Add(high | (1L << 31) | gpu);
                }
            }
        }
        return [.. keys];
    }
}
