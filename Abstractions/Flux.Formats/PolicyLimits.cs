// [policy.limits] and each queue's [queues.NAME.policy.limits] (RFC 33): the one check job-ingest and the .limit-* jobtap builtins share.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// The duration and job-size limits of an instance's configuration, read and checked once. A
/// queue's own <c>policy.limits</c> value wins over the general one, key by key (RFC 33). A duration
/// of 0 or "inf" and a size of -1 are unlimited. The check methods return flux-core's rejection
/// message, or null when the job is within the limits.
/// </summary>
public sealed class PolicyLimits
{
    private static readonly string[] Sizes = ["nnodes", "ncores", "ngpus"];
    private static readonly (string Bound, bool Over)[] Bounds = [("max", true), ("min", false)];

    private readonly FluxConfig _config;

    /// <summary>
    /// Reads the limits of <paramref name="config"/>. A bad value is a <see cref="ConfigException"/>
    /// naming its file and key (<c>policy.limits.job-size.max.nnodes: expected an integer &gt;= -1</c>).
    /// </summary>
    public PolicyLimits(FluxConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        foreach (var prefix in Prefixes(config))
        {
            if (config.Get(prefix + "duration") is { } d)
            {
                HasDuration = true;
                if (Seconds(d) is null)
                {
                    throw config.Error(prefix + "duration", "expected a duration like \"30m\"", d);
                }
            }
            foreach (var bound in new[] { "max", "min" })
            {
                foreach (var key in Sizes)
                {
                    var path = $"{prefix}job-size.{bound}.{key}";
                    if (config.Get(path) is not { } n)
                    {
                        continue;
                    }
                    HasJobSize = true;
                    if (n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out long count) || count < -1)
                    {
                        throw config.Error(path, "expected an integer >= -1", n);
                    }
                }
            }
        }
    }

    /// <summary>Limits of an empty configuration: none.</summary>
    public static PolicyLimits None { get; } = new(FluxConfig.Empty);

    /// <summary>Whether a duration limit is set anywhere, globally or for a queue.</summary>
    public bool HasDuration { get; }

    /// <summary>Whether a job-size limit is set anywhere, globally or for a queue.</summary>
    public bool HasJobSize { get; }

    /// <summary><c>attributes.system.queue</c> of a jobspec, or null.</summary>
    public static string? QueueOf(JsonNode? jobspec) =>
        jobspec?["attributes"]?["system"]?["queue"] is JsonValue q && q.TryGetValue(out string? s) ? s : null;

    /// <summary>Nodes, cores and GPUs a version 1 jobspec asks for: counts multiply down the resource tree.</summary>
    public static (long Nodes, long Cores, long Gpus) Count(JsonNode? jobspec)
    {
        long nodes = 0, cores = 0, gpus = 0;
        void Walk(JsonArray? list, long mult)
        {
            foreach (var v in (list ?? []).OfType<JsonObject>())
            {
                var count = v["count"] is JsonValue c && c.TryGetValue(out long n) ? n : 1;
                switch (v["type"] is JsonValue t && t.TryGetValue(out string? type) ? type : null)
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
        Walk(jobspec?["resources"] as JsonArray, 1);
        return (nodes, cores, gpus);
    }

    /// <summary>The duration limit for a queue in seconds, 0 when unlimited.</summary>
    public double DurationLimit(string? queue) => Seconds(Get("duration", queue)) ?? 0;

    /// <summary>Why a jobspec's duration is over its queue's limit (an unset duration, being unlimited, is over any limit), or null.</summary>
    public string? CheckDuration(JsonNode? jobspec)
    {
        if (!HasDuration)
        {
            return null;
        }
        var limit = DurationLimit(QueueOf(jobspec));
        if (limit <= 0)
        {
            return null;
        }
        // An unset (0) duration is unlimited, so it exceeds any limit (flux-core's limit-duration.c).
        var duration = jobspec?["attributes"]?["system"]?["duration"] is JsonValue d && d.TryGetValue(out double s) ? s : 0;
        return duration > 0 && duration <= limit ? null : $"requested duration exceeds policy limit of {Fsd.Format(limit)}";
    }

    /// <summary>Why a jobspec asks for more (or fewer) nodes, cores or GPUs than its queue allows, or null.</summary>
    public string? CheckJobSize(JsonNode? jobspec)
    {
        if (!HasJobSize)
        {
            return null;
        }
        // Maxima first, then minima, each in the order nnodes, ncores, ngpus (flux-core's check_limits()).
        var queue = QueueOf(jobspec);
        long[]? counts = null;
        foreach (var (bound, over) in Bounds)
        {
            for (var i = 0; i < Sizes.Length; i++)
            {
                var limit = Get($"job-size.{bound}.{Sizes[i]}", queue)?.GetValue<long>() ?? -1;
                if (limit < 0)
                {
                    continue;
                }
                if (counts is null)
                {
                    var (n, c, g) = Count(jobspec);
                    counts = [n, c, g];
                }
                if (over ? counts[i] > limit : counts[i] < limit)
                {
                    return $"requested {Sizes[i]} {(over ? "exceeds" : "is under")} policy limit of {limit}";
                }
            }
        }
        return null;
    }

    /// <summary>The duration check, then the job-size check: the first reason found, or null.</summary>
    public string? Check(JsonNode? jobspec) => CheckDuration(jobspec) ?? CheckJobSize(jobspec);

    private JsonNode? Get(string key, string? queue)
    {
        var queueKey = $"queues.{queue}.policy.limits.{key}";
        return queue is not null && _config.Contains(queueKey) ? _config.Get(queueKey) : _config.Get("policy.limits." + key);
    }

    private static IEnumerable<string> Prefixes(FluxConfig config)
    {
        yield return "policy.limits.";
        foreach (var kv in config.GetTable("queues") ?? [])
        {
            yield return $"queues.{kv.Key}.policy.limits.";
        }
    }

    // An FSD string ("1h", "inf") or a number of seconds; 0 and infinity are unlimited (0); null if malformed.
    private static double? Seconds(JsonNode? node)
    {
        double s;
        switch (node)
        {
            case null:
                return 0;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out s):
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && Fsd.TryParse(v.GetValue<string>(), out s):
                break;
            default:
                return null;
        }
        return s < 0 ? null : double.IsInfinity(s) ? 0 : s;
    }
}
