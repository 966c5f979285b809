// Typed options for plugins: IOptions<T> and IOptionsMonitor<T> bound from a table of the instance's configuration, or from a hosted plugin's per-load conf.
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
        if (services.Any(d => d.ServiceType == typeof(FluxOptionsMonitor<T>) || d.ServiceType == typeof(IOptions<T>)))
        {
            throw new InvalidOperationException($"AddFluxOptions<{typeof(T).Name}>(\"{table}\"): {typeof(T).Name} is already bound (to a table, or to the plugin's conf); bind another table to another class");
        }
        services.AddSingleton(sp => new FluxOptionsMonitor<T>(sp.GetRequiredService<FluxConfig>(), table, allowUnknownKeys));
        services.AddSingleton<IFluxOptionsBinding>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        services.AddSingleton<IOptionsMonitor<T>>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        services.AddSingleton<IOptions<T>>(sp => sp.GetRequiredService<FluxOptionsMonitor<T>>());
        return services;
    }

    /// <summary>
    /// Offers <see cref="IOptions{T}"/> bound from the plugin's per-load configuration
    /// (<see cref="PluginConf"/>, the values <c>IPluginRegistrar.Conf</c> holds): a jobtap plugin's
    /// <c>conf</c> (<c>[job-manager] plugins = [{load = "NAME", conf = {max = 2}}]</c>, or
    /// <c>flux jobtap load NAME max=2</c>), a validator's or frobnicator's <c>[ingest.STAGE.NAME]</c>
    /// table with the stage's <c>args</c>, a shell plugin's <c>conf</c> of <c>plugin.load</c> in an initrc. <see cref="FluxConfigFormats.Bind{T}"/>'s rules apply; the
    /// values are bound when the plugin is loaded, and a key <typeparamref name="T"/> has no property
    /// for or a value of the wrong type fails the load with a <see cref="ConfigException"/> naming the
    /// plugin, the key and the keys it accepts: <c>jobtap plugin active-job-limit: [conf] maxx:
    /// unknown key (expected max), got 3</c>. The value never changes for a loaded plugin (a new
    /// configuration is a new load), so <see cref="IOptionsMonitor{T}"/> is not offered. A plugin whose
    /// host gives no per-load configuration (a module, a connector) fails its load saying so.
    /// </summary>
    [RequiresUnreferencedCode(BindCode)]
    [RequiresDynamicCode(BindCode)]
    public static IServiceCollection AddFluxPluginConf<T>(this IServiceCollection services)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IOptions<T>)))
        {
            throw new InvalidOperationException($"AddFluxPluginConf<{typeof(T).Name}>(): IOptions<{typeof(T).Name}> is already registered; bind the plugin's conf to a class of its own");
        }
        services.AddSingleton<IOptions<T>>(sp => Options.Create(FluxConfigFormats.BindPluginConf<T>(sp.GetService<PluginConf>()
            ?? throw new InvalidOperationException(
                $"AddFluxPluginConf<{typeof(T).Name}>(): this plugin's host gives it no per-load conf (only jobtap plugins, validators, frobnicators and shell plugins have one); bind a table of the configuration with AddFluxOptions<{typeof(T).Name}>(\"TABLE\")"))));
        return services;
    }
}
