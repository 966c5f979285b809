// Reads [policy.limits] and a queue's [queues.NAME.policy.limits] overrides (RFC 33) from the conf.update configuration.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

internal static class PolicyLimits
{
    /// <summary>A limit under policy.limits: the job's queue's own value wins over the general one.</summary>
    public static JsonNode? Get(JsonObject? conf, string key, string? queue)
    {
        if (conf is null)
        {
            return null;
        }
        var config = new FluxConfig(conf);
        var queueKey = $"queues.{queue}.policy.limits.{key}";
        return queue is not null && config.Contains(queueKey) ? config.Get(queueKey) : config.Get("policy.limits." + key);
    }

    /// <summary>Whether a limit is set anywhere, globally or for a queue: with none, jobs need no checking.</summary>
    public static bool Configured(JsonObject? conf, string key)
    {
        if (conf is null)
        {
            return false;
        }
        var config = new FluxConfig(conf);
        return config.Contains("policy.limits." + key)
            || (config.GetTable("queues") is { } queues && queues.Any(q => config.Contains($"queues.{q.Key}.policy.limits.{key}")));
    }

    /// <summary>"" for the general policy table, then "queues.NAME." for each configured queue.</summary>
    public static IEnumerable<string> Prefixes(JsonObject? conf)
    {
        yield return string.Empty;
        foreach (var q in (conf?["queues"] as JsonObject) ?? [])
        {
            yield return $"queues.{q.Key}.";
        }
    }

    /// <summary>attributes.system.queue of a jobspec, or null.</summary>
    public static string? Queue(JsonNode? jobspec) => jobspec?["attributes"]?["system"]?["queue"]?.GetValue<string>();

    /// <summary>A duration limit in seconds: an FSD string or number; 0 or "inf" is unlimited (returns 0).</summary>
    public static double Seconds(JsonNode? node) => node switch
    {
        null => 0,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.GetValue<string>() is "inf" or "infinity" => 0,
        JsonValue v => Fsd.Parse(v.GetValue<string>()),
        _ => throw new FluxException(Errno.EINVAL, "policy.limits.duration must be an FSD string"),
    };
}
