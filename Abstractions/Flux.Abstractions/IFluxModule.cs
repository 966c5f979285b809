// The contract of a broker module.
namespace Flux.Abstractions;

/// <summary>
/// A broker module: an actor with its own loop. The host constructs it by constructor injection
/// (it may ask for <see cref="IFlux"/>, <see cref="FluxConfig"/>, <see cref="ModuleArgs"/>, an
/// <c>ILogger&lt;T&gt;</c>, <see cref="TimeProvider"/>, <c>IMeterFactory</c>, <c>IServiceProvider</c>,
/// and what it registers through <see cref="IPluginServices"/>), registers the module's name as a service, then
/// calls <see cref="LoadAsync"/> on the module's loop. A module that throws from LoadAsync is not
/// loaded, and the load command reports the error. Messages arrive one at a time.
/// </summary>
public interface IFluxModule
{
    /// <summary>Registers handlers and services and starts the module's work.</summary>
    ValueTask LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops the module: called on <c>flux module remove</c> and at broker shutdown, on the module's
    /// loop. After it returns, the host removes the module's handlers and services and unloads it.
    /// </summary>
    ValueTask UnloadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Implemented by a module that reads configuration it may refuse. On <c>flux config reload</c> the
/// host first calls <see cref="ValidateConfigAsync"/> on every such module, in load order; if any
/// throws (a <see cref="FluxException"/> whose text says what is wrong), nothing changes anywhere and
/// the command reports that module's name and error. Only when all accept does the host update every
/// handle's <see cref="IFlux.Config"/> and call <see cref="ApplyConfigAsync"/>. Both run on the
/// module's loop. Typed options tables (<c>AddFluxOptions&lt;T&gt;</c> in Flux.Formats) are checked
/// and published the same way without this interface.
/// </summary>
public interface IConfigurable
{
    /// <summary>Checks a proposed configuration; throws to refuse it. Must not change state.</summary>
    ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken);

    /// <summary>Takes a configuration that every module accepted.</summary>
    ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken);
}
