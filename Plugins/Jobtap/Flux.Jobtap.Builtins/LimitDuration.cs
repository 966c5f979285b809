// .limit-duration: rejects at job.validate a duration over policy.limits.duration (or the queue's), as flux-core's limit-duration.c; 0 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-duration", PluginKind.Jobtap)]
public sealed class LimitDuration : IFluxPlugin
{
    private JsonObject? _conf;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConf);
        plugin.Handle("job.validate", OnValidate);
    }

    // Checks the general limit and every queue's, with flux-core's messages, before keeping the conf.
    private bool OnConf(string topic, PluginArgs args)
    {
        var conf = args.In["conf"] as JsonObject;
        foreach (var prefix in PolicyLimits.Prefixes(conf))
        {
            try
            {
                PolicyLimits.Seconds(new FluxConfig(conf ?? []).Get(prefix + "policy.limits.duration"));
            }
            catch (Exception ex) when (ex is FluxException or FormatException or InvalidOperationException)
            {
                return args.Error($"{prefix}policy.limits.duration: FSD value is malformed");
            }
        }
        // Without limits, job.validate returns before reading (and so building) the job's arguments.
        _conf = PolicyLimits.Configured(conf, "duration") ? conf : null;
        return true;
    }

    private bool OnValidate(string topic, PluginArgs args)
    {
        if (_conf is null)
        {
            return true;
        }
        var jobspec = args.In["jobspec"];
        var limit = PolicyLimits.Seconds(PolicyLimits.Get(_conf, "duration", PolicyLimits.Queue(jobspec)));
        if (limit <= 0)
        {
            return true;
        }
        // An unset (0) duration is unlimited, so it exceeds any limit (flux-core's limit-duration.c).
        var duration = jobspec?["attributes"]?["system"]?["duration"] is JsonValue d && d.TryGetValue(out double s) ? s : 0;
        return (duration > 0 && duration <= limit) || args.Error($"requested duration exceeds policy limit of {Fsd.Format(limit)}");
    }
}
