// .priority-default: a job's priority is its urgency; HOLD is 0 (never scheduled), EXPEDITE the maximum (RFC 30).
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".priority-default", PluginKind.Jobtap)]
public sealed class PriorityDefault : IFluxPlugin
{
    private const int UrgencyHold = 0;
    private const int UrgencyExpedite = 31;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.state.priority", SetPriority);
        plugin.Handle("job.priority.get", SetPriority);
    }

    private static bool SetPriority(string topic, PluginArgs args)
    {
        args.Out["priority"] = Of(args.In["urgency"]!.GetValue<int>());
        return true;
    }

    /// <summary>The priority of an urgency.</summary>
    public static long Of(int urgency) => urgency switch
    {
        UrgencyHold => 0,
        UrgencyExpedite => uint.MaxValue,
        var u => u,
    };
}
