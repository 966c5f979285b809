// Constructs plugin instances by constructor injection from a per-plugin service provider.
using Flux.Abstractions;
using Flux.Core.Handle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Plugins;

/// <summary>
/// Builds one <see cref="ServiceProvider"/> per plugin instance (so that nothing caching the
/// plugin's types outlives it) offering the handle, its logger factory and <c>ILogger&lt;T&gt;</c>,
/// the configuration, the arguments, and whatever extra services the host adds.
/// </summary>
public static class PluginActivator
{
    /// <summary>Creates an instance of a plugin type; the provider must be disposed with the plugin.</summary>
    public static (object Instance, ServiceProvider Provider) Create(Type type, IFlux flux, IReadOnlyList<string> args, Action<IServiceCollection>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(flux);
        var services = new ServiceCollection();
        services.AddSingleton(flux);
        services.AddSingleton(_ => flux.Config);
        services.AddSingleton(new ModuleArgs(args));
        services.AddSingleton<ILoggerFactory>(new BrokerLoggerFactory(flux));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
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

    private sealed class BrokerLoggerFactory(IFlux flux) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("plugin loggers write to the broker log");

        public ILogger CreateLogger(string categoryName) => new BrokerLogger(flux, flux.Name ?? ShortName(categoryName));

        public void Dispose()
        {
        }

        private static string ShortName(string category)
        {
            var dot = category.LastIndexOf('.');
            return dot < 0 ? category : category[(dot + 1)..];
        }
    }
}
