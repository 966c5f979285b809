// The hook through which a plugin type adds services of its own to the provider it is constructed from.
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Abstractions;

/// <summary>
/// Implemented by a plugin type that registers services of its own. Before constructing the plugin,
/// the host builds one service provider for it (disposed with it) holding what the host offers
/// (<see cref="IFlux"/>, <see cref="FluxConfig"/>, <see cref="ModuleArgs"/>, <c>ILogger&lt;T&gt;</c>,
/// <see cref="TimeProvider"/>, <c>IMeterFactory</c> ...); <see cref="ConfigureServices"/> is called
/// on that collection after the host's own services and before the ones a host adds for one kind
/// (job-manager's <c>IJobtap</c>, a test's clock), so those win over the plugin's. The plugin's
/// constructor may then ask for anything registered here. Modules, jobtap plugins, validators,
/// frobnicators and shell plugins loaded from an assembly or a type are constructed this way;
/// connectors are constructed without a provider and are not called.
/// </summary>
public interface IPluginServices
{
    /// <summary>
    /// Adds the plugin's services (its own classes, <c>AddFluxOptions&lt;T&gt;</c> for typed
    /// configuration). Called once per load, on the loading thread; an exception fails the load with
    /// its text.
    /// </summary>
    static abstract void ConfigureServices(IServiceCollection services);
}
