// .limit-duration: rejects at job.validate a duration over policy.limits.duration (or the queue's); 0 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-duration", PluginKind.Jobtap)]
public sealed class LimitDuration : IFluxPlugin
{
    private PolicyLimits? _limits;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConf);
        plugin.Handle("job.validate", OnValidate);
    }

    private bool OnConf(string topic, PluginArgs args)
    {
        try
        {
            var limits = new PolicyLimits(new FluxConfig(args.In["conf"] as JsonObject ?? []));
            // Without limits, job.validate returns before reading (and so building) the job's arguments.
            _limits = limits.HasDuration ? limits : null;
            return true;
        }
        catch (ConfigException ex)
        {
            return args.Error(ex.Message);
        }
    }

    private bool OnValidate(string topic, PluginArgs args) =>
        _limits?.CheckDuration(args.In["jobspec"]) is not { } why || args.Error(why);
}
