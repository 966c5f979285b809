// Site policy applied at submission (RFC 33): jobspec defaults and queue constraints (what
// flux-core's "defaults" and "constraints" frobnicators do) and duration and job-size limits.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobIngest;

internal sealed class SubmitPolicy
{
    private readonly FluxConfig _config;

    private SubmitPolicy(FluxConfig config)
    {
        _config = config;
    }

    public static SubmitPolicy Empty { get; } = new(FluxConfig.Empty);

    /// <summary>Reads and checks every policy key, so a bad value is refused at load or reload.</summary>
    public static SubmitPolicy FromConfig(FluxConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var p = new SubmitPolicy(config);
        foreach (var prefix in Prefixes(config))
        {
            config.GetDuration(prefix + "jobspec.defaults.system.duration", 0);
            config.GetString(prefix + "jobspec.defaults.system.queue");
            config.GetDuration(prefix + "limits.duration", 0);
            foreach (var bound in new[] { "max", "min" })
            {
                foreach (var what in new[] { "nnodes", "ncores", "ngpus" })
                {
                    config.GetInt64($"{prefix}limits.job-size.{bound}.{what}", -1);
                }
            }
        }
        if (config.GetString("policy.jobspec.defaults.system.queue") is { } q && config.GetTable("queues") is { } queues && !queues.ContainsKey(q))
        {
            throw config.Error("policy.jobspec.defaults.system.queue", $"expected one of the configured queues ({string.Join(", ", queues.Select(kv => kv.Key))})", config.Get("policy.jobspec.defaults.system.queue"));
        }
        return p;
    }

    private static IEnumerable<string> Prefixes(FluxConfig config)
    {
        yield return "policy.";
        foreach (var kv in config.GetTable("queues") ?? [])
        {
            yield return $"queues.{kv.Key}.policy.";
        }
    }

    /// <summary>Fills in the default duration and queue, and adds the queue's required properties.</summary>
    public void ApplyDefaults(JsonObject jobspec)
    {
        if (jobspec["attributes"] is not JsonObject attrs || attrs["system"] is not JsonObject sys)
        {
            return;
        }
        if (sys["queue"] is null && _config.GetString("policy.jobspec.defaults.system.queue") is { } dq)
        {
            sys["queue"] = dq;
        }
        var queue = sys["queue"]?.GetValue<string>();
        var duration = sys["duration"] is JsonValue d && d.TryGetValue(out double secs) ? secs : 0;
        if (duration == 0)
        {
            var def = queue is not null ? _config.GetDuration($"queues.{queue}.policy.jobspec.defaults.system.duration", -1) : -1;
            if (def < 0)
            {
                def = _config.GetDuration("policy.jobspec.defaults.system.duration", 0);
            }
            if (def > 0 && !double.IsInfinity(def))
            {
                sys["duration"] = def;
            }
        }
        if (queue is not null && _config.GetStringArray($"queues.{queue}.requires") is { Count: > 0 } requires)
        {
            var constraints = sys["constraints"] as JsonObject ?? [];
            var props = constraints["properties"] as JsonArray ?? [];
            foreach (var r in requires.Where(r => !props.Any(p => p?.GetValue<string>() == r)))
            {
                props.Add(r);
            }
            constraints["properties"] = props;
            sys["constraints"] = constraints;
        }
    }

    /// <summary>Refuses a job over the duration or size limits of the instance or of its queue.</summary>
    public void CheckLimits(JsonObject jobspec)
    {
        var sys = jobspec["attributes"]?["system"];
        var queue = sys?["queue"]?.GetValue<string>();
        var duration = sys?["duration"] is JsonValue d && d.TryGetValue(out double secs) ? secs : 0;
        var limit = Limit("limits.duration", queue, key => _config.GetDuration(key, -1));
        if (limit > 0 && (duration == 0 || duration > limit))
        {
            throw new FluxException(Errno.EINVAL, duration == 0
                ? $"unlimited duration exceeds policy limit of {Fsd.Format(limit)}"
                : $"requested duration {Fsd.Format(duration)} exceeds policy limit of {Fsd.Format(limit)}");
        }
        var (nnodes, ncores, ngpus) = Size(jobspec);
        Check("nnodes", nnodes, queue, "nodes");
        Check("ncores", ncores, queue, "cores");
        Check("ngpus", ngpus, queue, "gpus");
    }

    private void Check(string what, long value, string? queue, string noun)
    {
        var max = Limit($"limits.job-size.max.{what}", queue, key => _config.GetInt64(key, -2));
        var min = Limit($"limits.job-size.min.{what}", queue, key => _config.GetInt64(key, -2));
        if (max >= 0 && value > max)
        {
            throw new FluxException(Errno.EINVAL, $"job requests {value} {noun}, more than the policy limit of {max}");
        }
        if (min >= 0 && value < min)
        {
            throw new FluxException(Errno.EINVAL, $"job requests {value} {noun}, fewer than the policy minimum of {min}");
        }
    }

    /// <summary>A queue's own policy wins over the general one, key by key (RFC 33).</summary>
    private T Limit<T>(string key, string? queue, Func<string, T> get)
    {
        var queueKey = $"queues.{queue}.policy.{key}";
        return queue is not null && _config.Contains(queueKey) ? get(queueKey) : get("policy." + key);
    }

    /// <summary>Nodes, cores and GPUs a version 1 jobspec asks for.</summary>
    private static (long Nodes, long Cores, long Gpus) Size(JsonObject jobspec)
    {
        long nodes = 0, cores = 0, gpus = 0;
        void Walk(JsonArray? list, long mult)
        {
            foreach (var v in (list ?? []).OfType<JsonObject>())
            {
                var count = v["count"] is JsonValue c && c.TryGetValue(out long n) ? n : 1;
                var type = v["type"]?.GetValue<string>();
                switch (type)
                {
                    case "node":
                        nodes += mult * count;
                        break;
                    case "core":
                        cores += mult * count;
                        break;
                    case "gpu":
                        gpus += mult * count;
                        break;
                    default:
                        break;
                }
                Walk(v["with"] as JsonArray, mult * count);
            }
        }
        Walk(jobspec["resources"] as JsonArray, 1);
        return (nodes, cores, gpus);
    }
}
