// The contract of a topic-handler plugin: jobtap, validator and job shell plugins (flux-core's plugin.h).
namespace Flux.Abstractions.Plugins;

/// <summary>
/// A plugin that registers handlers by topic glob, as flux-core's <c>flux_plugin_init</c> does. The
/// host constructs it by constructor injection (it may ask for <see cref="IFlux"/>, an
/// <c>ILogger&lt;T&gt;</c>, <see cref="FluxConfig"/>, and the kind's own service: <see cref="IJobtap"/>
/// for a jobtap plugin, <see cref="IShell"/> for a job shell plugin), then calls <see cref="Register"/> once. Handlers then run on the host's loop,
/// one at a time: a handler needs no locks, and an <c>await</c> inside work it starts with
/// <see cref="IFlux.Background"/> continues on that loop too.
/// </summary>
public interface IFluxPlugin
{
    /// <summary>
    /// Registers the plugin's handlers. Throwing here (a <see cref="FluxException"/> whose text says
    /// why, for a bad <see cref="IPluginRegistrar.Conf"/> key, say) refuses the load with that text.
    /// </summary>
    void Register(IPluginRegistrar plugin);
}
