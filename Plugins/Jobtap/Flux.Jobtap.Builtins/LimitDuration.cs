// .limit-duration: rejects at job.validate a duration over policy.limits.duration (or the queue's); 0 is unlimited.
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

    private bool OnConf(string topic, PluginArgs args)
    {
        var conf = args.In["conf"] as JsonObject;
        try
        {
            PolicyLimits.Seconds(PolicyLimits.Get(conf, "duration", null));
        }
        catch (Exception ex) when (ex is FluxException or FormatException or InvalidOperationException)
        {
            return args.Error($"policy.limits.duration: {ex.Message}");
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
        var duration = jobspec?["attributes"]?["system"]?["duration"] is JsonValue d && d.TryGetValue(out double s) ? s : 0;
        if (duration == 0)
        {
            return args.Error($"unlimited duration exceeds policy limit of {Fsd.Format(limit)}");
        }
        return duration <= limit || args.Error($"requested duration {Fsd.Format(duration)} exceeds policy limit of {Fsd.Format(limit)}");
    }
}
