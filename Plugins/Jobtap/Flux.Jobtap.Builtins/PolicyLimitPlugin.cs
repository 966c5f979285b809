// The shape of .limit-duration and .limit-job-size: read [policy.limits] at conf.update, check the job at job.validate.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

/// <summary>
/// A jobtap builtin that applies one part of <see cref="PolicyLimits"/> (shared with job-ingest,
/// which checks the same limits before feasibility). A bad value refuses the configuration.
/// </summary>
public abstract class PolicyLimitPlugin : IFluxPlugin
{
    private PolicyLimits? _limits;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConf);
        plugin.Handle("job.validate", OnValidate);
    }

    /// <summary>Whether the configuration sets any limit this plugin checks.</summary>
    protected abstract bool Configured(PolicyLimits limits);

    /// <summary>Why the job is over (or under) this plugin's limits, or null.</summary>
    protected abstract string? Check(PolicyLimits limits, JsonNode? jobspec);

    private bool OnConf(string topic, PluginArgs args)
    {
        try
        {
            var limits = new PolicyLimits(new FluxConfig(args.In["conf"] as JsonObject ?? []));
            // Without limits, job.validate returns before reading (and so building) the job's arguments.
            _limits = Configured(limits) ? limits : null;
            return true;
        }
        catch (ConfigException ex)
        {
            return args.Error(ex.Message);
        }
    }

    private bool OnValidate(string topic, PluginArgs args) =>
        _limits is not { } limits || Check(limits, args.In["jobspec"]) is not { } why || args.Error(why);
}
