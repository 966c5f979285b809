// Constructs plugin instances by constructor injection from a per-plugin service provider.
using System.Runtime.CompilerServices;
using Flux.Abstractions;
using Flux.Client.Handle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flux.Client.Plugins;

/// <summary>
/// Builds one <see cref="ServiceProvider"/> per plugin instance (so that nothing caching the
/// plugin's types outlives it) offering the handle, its logger factory and <c>ILogger&lt;T&gt;</c>,
/// the configuration, the arguments, a <see cref="TimeProvider"/> (the system's unless the host adds
/// another), and whatever extra services the host adds.
/// </summary>
public static class PluginActivator
{
    /// <summary>
    /// Creates an instance of a plugin type; the provider must be disposed with the plugin. Its
    /// loggers send records to the broker (<see cref="BrokerLogger"/>) unless <paramref name="createLogger"/>
    /// makes them (a host inside the broker writes to its log ring directly).
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
        extra?.Invoke(services);
        var provider = services.BuildServiceProvider();
        try
        {
            return (ActivatorUtilities.CreateInstance(provider, type), provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

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
