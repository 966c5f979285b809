// .limit-job-size: rejects at job.validate a job over [policy.limits.job-size] max or under min (nnodes, ncores, ngpus); -1 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-job-size", PluginKind.Jobtap)]
public sealed class LimitJobSize : IFluxPlugin
{
    private static readonly (string Key, string Noun)[] Sizes = [("nnodes", "nodes"), ("ncores", "cores"), ("ngpus", "gpus")];
    private JsonObject? _conf;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConf);
        plugin.Handle("job.validate", OnValidate);
    }

    private bool OnConf(string topic, PluginArgs args)
    {
        var conf = args.In["conf"] as JsonObject;
        foreach (var bound in new[] { "max", "min" })
        {
            foreach (var (key, _) in Sizes)
            {
                if (PolicyLimits.Get(conf, $"job-size.{bound}.{key}", null) is { } v && (v is not JsonValue jv || !jv.TryGetValue(out long n) || n < -1))
                {
                    return args.Error($"policy.limits.job-size.{bound}.{key}: expected an integer >= -1");
                }
            }
        }
        // Without limits, job.validate returns before reading (and so building) the job's arguments.
        _conf = PolicyLimits.Configured(conf, "job-size") ? conf : null;
        return true;
    }

    private bool OnValidate(string topic, PluginArgs args)
    {
        if (_conf is null)
        {
            return true;
        }
        var jobspec = args.In["jobspec"];
        var queue = PolicyLimits.Queue(jobspec);
        long[]? counts = null;
        for (var i = 0; i < Sizes.Length; i++)
        {
            var (key, noun) = Sizes[i];
            var max = PolicyLimits.Get(_conf, "job-size.max." + key, queue)?.GetValue<long>() ?? -1;
            var min = PolicyLimits.Get(_conf, "job-size.min." + key, queue)?.GetValue<long>() ?? -1;
            if (max < 0 && min < 0)
            {
                continue;
            }
            counts ??= Count(jobspec?["resources"] as JsonArray);
            if (max >= 0 && counts[i] > max)
            {
                return args.Error($"job requests {counts[i]} {noun}, more than the policy limit of {max}");
            }
            if (min >= 0 && counts[i] < min)
            {
                return args.Error($"job requests {counts[i]} {noun}, fewer than the policy minimum of {min}");
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
