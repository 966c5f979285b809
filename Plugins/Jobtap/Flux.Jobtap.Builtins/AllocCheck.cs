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
        if (Keys(r) is not { } keys)
        {
            return args.Error("alloc-check: the job's R has no valid execution.R_lite");
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

    // The ranks' cores and GPUs, read straight from R_lite (RFC 20): the rest of R (nodelist, times,
    // properties) is not needed here, and reading the whole of it was most of this plugin's cost.
    // Null when R_lite is missing or not RFC 20.
    private static long[]? Keys(JsonObject r)
    {
        if (r["execution"]?["R_lite"] is not JsonArray lite)
        {
            return null;
        }
        var keys = new List<long>();
        foreach (var entry in lite)
        {
            if (entry?["rank"] is not JsonValue rankText || !rankText.TryGetValue(out string? rankSet) || !IdSet.TryParse(rankSet, out var ranks)
                || entry["children"] is not JsonObject children)
            {
                return null;
            }
            IdSet? cores = null, gpus = null;
            if ((children["core"] is { } c && !TryIds(c, out cores)) || (children["gpu"] is { } g && !TryIds(g, out gpus)))
            {
                return null;
            }
            foreach (var rank in ranks)
            {
                var high = (long)rank << 32;
                foreach (var core in cores ?? IdSet.Empty)
                {
                    keys.Add(high | core);
                }
                foreach (var gpu in gpus ?? IdSet.Empty)
                {
                    keys.Add(high | (1L << 31) | gpu);
                }
            }
        }
        return [.. keys];
    }

    private static bool TryIds(JsonNode node, out IdSet? ids)
    {
        ids = null;
        return node is JsonValue v && v.TryGetValue(out string? text) && IdSet.TryParse(text, out ids);
    }
}
