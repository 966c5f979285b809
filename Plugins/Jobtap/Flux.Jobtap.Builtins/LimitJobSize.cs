// .limit-job-size: rejects at job.validate a job over [policy.limits.job-size] max or under min (nnodes, ncores, ngpus), as flux-core's limit-job-size.c; -1 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-job-size", PluginKind.Jobtap)]
public sealed class LimitJobSize : IFluxPlugin
{
    private static readonly string[] Keys = ["nnodes", "ncores", "ngpus"];
    private static readonly (string Bound, bool Over)[] Bounds = [("max", true), ("min", false)];
    private JsonObject? _conf;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConf);
        plugin.Handle("job.validate", OnValidate);
    }

    // Checks the general limits and every queue's, with flux-core's messages, before keeping the conf.
    private bool OnConf(string topic, PluginArgs args)
    {
        var conf = args.In["conf"] as JsonObject;
        var config = new FluxConfig(conf ?? []);
        foreach (var prefix in PolicyLimits.Prefixes(conf))
        {
            foreach (var (bound, _) in Bounds)
            {
                foreach (var key in Keys)
                {
                    if (config.Get($"{prefix}policy.limits.job-size.{bound}.{key}") is { } v && (v is not JsonValue jv || !jv.TryGetValue(out long n) || n < -1))
                    {
                        return args.Error($"{prefix}policy.limits.job-size.{bound}: size must be -1 (unlimited), or >= 0");
                    }
                }
            }
        }
        // Without limits, job.validate returns before reading (and so building) the job's arguments.
        _conf = PolicyLimits.Configured(conf, "job-size") ? conf : null;
        return true;
    }

    // Maxima first, then minima, each in the order nnodes, ncores, ngpus (flux-core's check_limits()).
    private bool OnValidate(string topic, PluginArgs args)
    {
        if (_conf is null)
        {
            return true;
        }
        var jobspec = args.In["jobspec"];
        var queue = PolicyLimits.Queue(jobspec);
        long[]? counts = null;
        foreach (var (bound, over) in Bounds)
        {
            for (var i = 0; i < Keys.Length; i++)
            {
                var key = Keys[i];
                var limit = PolicyLimits.Get(_conf, $"job-size.{bound}.{key}", queue)?.GetValue<long>() ?? -1;
                if (limit < 0)
                {
                    continue;
                }
                counts ??= Count(jobspec?["resources"] as JsonArray);
                if (over ? counts[i] > limit : counts[i] < limit)
                {
                    return args.Error($"requested {key} {(over ? "exceeds" : "is under")} policy limit of {limit}");
                }
            }
        }
        return true;
    }

    /// <summary>Nodes, cores and GPUs a version 1 jobspec asks for (counts multiply down the resource tree).</summary>
    private static long[] Count(JsonArray? resources)
    {
        var totals = new long[3];
        void Walk(JsonArray? list, long mult)
        {
            foreach (var v in (list ?? []).OfType<JsonObject>())
            {
                var count = v["count"] is JsonValue c && c.TryGetValue(out long n) ? n : 1;
                var at = v["type"]?.GetValue<string>() switch { "node" => 0, "core" => 1, "gpu" => 2, _ => -1 };
                if (at >= 0)
                {
                    totals[at] += mult * count;
                }
                Walk(v["with"] as JsonArray, mult * count);
            }
        }
        Walk(resources, 1);
        return totals;
    }
}
