// One plugin instance the loader created; disposing it releases the plugin and, with the last of its assembly, the load context.
namespace Flux.Abstractions.Plugins;

/// <summary>A loaded plugin instance. Dispose it to remove the plugin.</summary>
public interface ILoadedPlugin : IDisposable
{
    /// <summary>The plugin's name from its attribute.</summary>
    string Name { get; }

    /// <summary>The full path of its assembly.</summary>
    string Path { get; }

    /// <summary>The instance, constructed by constructor injection.</summary>
    object Instance { get; }
}
