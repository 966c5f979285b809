// Constructs plugin instances by constructor injection from a per-plugin service provider.
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flux.Client.Plugins;

/// <summary>
/// Builds one <see cref="ServiceProvider"/> per plugin instance (so that nothing caching the
/// plugin's types outlives it) offering the handle, its logger factory and <c>ILogger&lt;T&gt;</c>,
/// the configuration, the arguments, a <see cref="TimeProvider"/> (the system's unless the host adds
/// another), an <see cref="IMeterFactory"/> whose instruments <see cref="PluginMetrics"/> follows (created, and
/// listened to, only when the plugin first asks for it),
/// what the plugin registers itself (<see cref="IPluginServices"/>: typed options and its own
/// services), and whatever extra services the host adds, in that order (a later registration wins).
/// </summary>
public static class PluginActivator
{
    /// <summary>
    /// Creates an instance of a plugin type; the provider must be disposed with the plugin. Its
    /// loggers send records to the broker (<see cref="BrokerLogger"/>) unless <paramref name="createLogger"/>
    /// makes them (a host inside the broker writes to its log ring directly). Before the constructor
    /// runs, the plugin's options are bound (every <see cref="IOptions{TOptions}"/> it registered, a
    /// configuration table's or its per-load <see cref="PluginConf"/>'s: one that does not bind fails
    /// here with its <see cref="ConfigException"/>). Its meters are listened to from when it first asks for
    /// its <see cref="IMeterFactory"/>, before any meter exists, so nothing it records is missed.
    /// </summary>
    public static (object Instance, ServiceProvider Provider) Create(Type type, IFlux flux, IReadOnlyList<string> args, Action<IServiceCollection>? extra = null, Func<string, ILogger>? createLogger = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(flux);
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException(type.FullName ?? type.Name);
        }
        var services = new ServiceCollection();
        services.AddSingleton(flux);
        services.AddSingleton(_ => flux.Config);
        services.AddSingleton(new ModuleArgs(args));
        services.AddSingleton<ILoggerFactory>(new PluginLoggerFactory(createLogger ?? (category => new BrokerLogger(flux, flux.Name ?? ShortName(category)))));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        // A plugin that asks for the time through TimeProvider can be tested with a fake clock (the host may replace this one).
        services.AddSingleton(TimeProvider.System);
        // Lazy: the factory, and the listener PluginMetrics starts for it, exist only once the plugin asks
        // for IMeterFactory (a job's shell plugins are constructed once per job).
        services.AddSingleton<PluginMetrics>();
        services.AddSingleton<IMeterFactory>(sp => new PluginMeterFactory(sp.GetRequiredService<PluginMetrics>()));
        ConfigurePluginServices(type, services);
        extra?.Invoke(services);
        // Every IOptions<T> the plugin registered (a table's, its per-load conf's): resolved before the
        // constructor runs, so a table or conf that does not bind fails the load, not the first use.
        var options = services.Where(d => d.ServiceType.IsConstructedGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptions<>))
            .Select(d => d.ServiceType).Distinct().ToList();
        var provider = services.BuildServiceProvider();
        try
        {
            foreach (var o in options)
            {
                provider.GetRequiredService(o);
            }
            return (ActivatorUtilities.CreateInstance(provider, type), provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the container's code once on a throwaway plugin-like type (a provider built, a logger and a
    /// clock injected by constructor), so that the first plugin a host loads does not pay for loading
    /// and compiling it: a broker calls this on a spare core while it sets itself up.
    /// </summary>
    public static void WarmUp()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return;
        }
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new PluginLoggerFactory(_ => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        using var provider = services.BuildServiceProvider();
        _ = ActivatorUtilities.CreateInstance<WarmUpTarget>(provider);
    }

    private sealed class WarmUpTarget(ILogger<WarmUpTarget> logger, TimeProvider time)
    {
        public ILogger<WarmUpTarget> Logger { get; } = logger;

        public TimeProvider Time { get; } = time;
    }

    // IPluginServices.ConfigureServices is a static abstract member: called through a generic method
    // constrained to the interface (the runtime resolves T.ConfigureServices to the plugin's own).
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Create refuses to run without dynamic code (RuntimeFeature.IsDynamicCodeSupported) before calling this.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The plugin type is loaded from an assembly at run time, never trimmed.")]
    private static void ConfigurePluginServices(Type type, IServiceCollection services)
    {
        if (!typeof(IPluginServices).IsAssignableFrom(type) || type.IsAbstract || type.ContainsGenericParameters)
        {
            return;
        }
        typeof(PluginActivator).GetMethod(nameof(ConfigureServicesOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, BindingFlags.DoNotWrapExceptions, null, [services], null);
    }

    private static void ConfigureServicesOf<T>(IServiceCollection services) where T : IPluginServices => T.ConfigureServices(services);

    private static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private sealed class PluginLoggerFactory(Func<string, ILogger> create) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("plugin loggers write to the broker log");

        public ILogger CreateLogger(string categoryName) => create(categoryName);

        public void Dispose()
        {
        }
    }
}
