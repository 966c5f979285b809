// .limit-job-size: rejects at job.validate a job over [policy.limits.job-size] max or under min (nnodes, ncores, ngpus); -1 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-job-size", PluginKind.Jobtap)]
public sealed class LimitJobSize : IFluxPlugin
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
            _limits = limits.HasJobSize ? limits : null;
            return true;
        }
        catch (ConfigException ex)
        {
            return args.Error(ex.Message);
        }
    }

    private bool OnValidate(string topic, PluginArgs args) =>
        _limits?.CheckJobSize(args.In["jobspec"]) is not { } why || args.Error(why);
}
