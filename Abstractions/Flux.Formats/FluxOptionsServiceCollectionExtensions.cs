// Typed options for plugins: IOptions<T> and IOptionsMonitor<T> bound from a table of the instance's configuration.
using System.Diagnostics.CodeAnalysis;
using Flux.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flux.Formats;

/// <summary>Registers a plugin's typed configuration (from <c>IPluginServices.ConfigureServices</c>).</summary>
public static class FluxOptionsServiceCollectionExtensions
{
    private const string BindCode = "AddFluxOptions<T> binds T's public properties by reflection (FluxConfigFormats.Bind<T>)";

    /// <summary>
    /// Offers <see cref="IOptions{T}"/> (the value at load) and <see cref="IOptionsMonitor{T}"/> (the
    /// current value; <c>OnChange</c> listeners run on the plugin's loop when <c>flux config reload</c>
    /// changes it) bound from the table at the dotted path <paramref name="table"/> of the instance's
    /// configuration with <see cref="FluxConfigFormats.Bind{T}"/>'s rules: kebab-case keys, RFC 23
    /// durations, idsets, hostlists; an absent table gives <typeparamref name="T"/>'s defaults. The
    /// table is bound when the plugin is loaded: a key <typeparamref name="T"/> has no property for
    /// (unless <paramref name="allowUnknownKeys"/>) or a value of the wrong type fails the load with a
    /// <see cref="ConfigException"/> naming the file, the table and the key (and the accepted keys). On
    /// a reload (modules, and the plugins a module hosts such as jobtap plugins), a table that no
    /// longer binds refuses the reload with that text and the monitor keeps its value. Only the
    /// default name is bound: <c>IOptionsMonitor.Get(name)</c> with another name throws. One table
    /// per options type.
    /// </summary>
    [RequiresUnreferencedCode(BindCode)]
    [RequiresDynamicCode(BindCode)]
    public static IServiceCollection AddFluxOptions<T>(this IServiceCollection services, string table, bool allowUnknownKeys = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(table);
        if (services.Any(d => d.ServiceType == typeof(FluxOptionsMonitor<T>)))
        {
            throw new InvalidOperationException($"AddFluxOptions<{typeof(T).Name}>(\"{table}\"): {typeof(T).Name} is already bound to a table; bind another table to another class");
        }
        services.AddSingleton(sp => new FluxOptionsMonitor<T>(sp.GetRequiredService<FluxConfig>(), table, allowUnknownKeys));
        services.AddSingleton<IFluxOptionsBinding>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        services.AddSingleton<IOptionsMonitor<T>>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        services.AddSingleton<IOptions<T>>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        return services;
    }
}
