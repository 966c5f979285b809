// The defaults frobnicator: [policy.jobspec.defaults] and the job's queue's own defaults (RFC 33) fill what the jobspec leaves unset.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Validators.Builtins;

/// <summary>
/// Sets <c>attributes.system.KEY</c> from <c>[policy.jobspec.defaults.system]</c>, overridden key by key by
/// <c>[queues.NAME.policy.jobspec.defaults.system]</c> of the job's queue (its own or the default queue),
/// for every key the jobspec does not set; a duration of 0 counts as unset. Durations are FSD strings.
/// A job naming no queue, or an unknown one, is left to the job manager, which rejects it saying which
/// queues there are.
/// </summary>
[FluxPlugin("defaults", PluginKind.Frobnicator, Description = "Apply defaults to incoming jobspec based on broker config.")]
public sealed class DefaultsFrobnicator : IFluxPlugin
{
    private JsonObject _defaults = [];
    private JsonObject? _queues;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", Configure);
        plugin.Handle("job.frobnicate", Frobnicate);
    }

    private bool Configure(string topic, PluginArgs args)
    {
        var config = new FluxConfig(args.In["conf"] as JsonObject ?? []);
        try
        {
            var queues = config.GetTable("queues");
            var defaults = Defaults(config, "policy.");
            if (defaults["queue"] is { } q && (queues is null || !queues.ContainsKey(q.GetValue<string>())))
            {
                throw config.Error("policy.jobspec.defaults.system.queue", $"expected one of the configured queues ({string.Join(", ", (queues ?? []).Select(kv => kv.Key))})", q);
            }
            foreach (var (name, _) in queues ?? [])
            {
                Defaults(config, $"queues.{name}.policy.");
            }
            (_defaults, _queues) = (defaults, queues);
            return true;
        }
        catch (FluxException ex)
        {
            return args.Error(ex.Message);
        }
    }

    // A defaults table, its duration checked: copied, so a reload never changes it under a running call.
    private static JsonObject Defaults(FluxConfig config, string prefix)
    {
        var path = prefix + "jobspec.defaults.system";
        config.GetDuration(path + ".duration", 0);
        config.GetString(path + ".queue");
        return config.GetTable(path)?.DeepClone() as JsonObject ?? [];
    }

    private bool Frobnicate(string topic, PluginArgs args)
    {
        if (args.In["jobspec"]?["attributes"]?["system"] is not JsonObject sys)
        {
            return true;
        }
        var queue = sys["queue"]?.GetValue<string>() ?? _defaults["queue"]?.GetValue<string>();
        var own = queue is not null && _queues?[queue] is JsonObject q ? q["policy"]?["jobspec"]?["defaults"]?["system"] as JsonObject : null;
        foreach (var (key, value) in _defaults)
        {
            if (own is null || !own.ContainsKey(key))
            {
                Set(sys, key, value);
            }
        }
        foreach (var (key, value) in own ?? [])
        {
            Set(sys, key, value);
        }
        return true;
    }

    private static void Set(JsonObject sys, string key, JsonNode? value)
    {
        if (key == "duration")
        {
            var unset = sys["duration"] is not JsonValue d || !d.TryGetValue(out double secs) || secs == 0;
            var seconds = value is JsonValue v && v.TryGetValue(out string? fsd) ? Fsd.Parse(fsd) : value?.GetValue<double>() ?? 0;
            if (unset && seconds > 0 && !double.IsInfinity(seconds))
            {
                sys["duration"] = seconds;
            }
        }
        else if (!sys.ContainsKey(key))
        {
            sys[key] = value?.DeepClone();
        }
    }
}
