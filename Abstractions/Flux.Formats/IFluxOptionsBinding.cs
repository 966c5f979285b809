// The host's side of a plugin's typed options: how a configuration reload reaches IOptionsMonitor<T>.
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// One <see cref="FluxOptionsServiceCollectionExtensions.AddFluxOptions{T}"/> registration, as the
/// host sees it: it resolves every binding when it builds a plugin's provider (so a table that does
/// not bind fails the load), and on <c>flux config reload</c> binds the proposed configuration first
/// (<see cref="Bind"/>: a <see cref="ConfigException"/> refuses the reload, nothing changes) and
/// publishes the values only once every module accepted (<see cref="Publish"/>). Plugins do not call it.
/// </summary>
public interface IFluxOptionsBinding
{
    /// <summary>The dotted path of the bound table (<c>"counter"</c> for <c>[counter]</c>).</summary>
    string Table { get; }

    /// <summary>The options class.</summary>
    Type OptionsType { get; }

    /// <summary>Binds the table of <paramref name="config"/> without publishing it; throws <see cref="ConfigException"/> naming the table and key.</summary>
    object Bind(FluxConfig config);

    /// <summary>Makes a value <see cref="Bind"/> returned the monitor's current value and runs its change listeners.</summary>
    void Publish(object value);
}
