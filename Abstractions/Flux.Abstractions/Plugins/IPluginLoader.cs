// The host's plugin loader as a module sees it: a module that hosts plugins (job-manager) loads them here.
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Abstractions.Plugins;

/// <summary>
/// Loads plugins of a kind the way the broker loads modules: by name on the kind's search path or
/// by path to a <c>.dll</c>, each assembly in its own load context, its contract version checked.
/// A module asks for it by constructor injection.
/// </summary>
public interface IPluginLoader
{
    /// <summary>
    /// The directories searched for a kind, in order: its environment variable
    /// (<c>FLUX_JOBTAP_PATH</c>, <c>FLUX_SHELL_PLUGIN_PATH</c> ...), the broker attribute
    /// (<c>conf.jobtap_pluginpath</c> ...), then the installation's built-in folder.
    /// </summary>
    IReadOnlyList<string> SearchPath(PluginKind kind);

    /// <summary>Every plugin of a kind on the search path: name and assembly path (first of each name).</summary>
    IReadOnlyList<(string Name, string Path)> Available(PluginKind kind);

    /// <summary>
    /// Loads plugins of a kind from one assembly, all in one load context. <paramref name="spec"/> is a
    /// path (every entry of the kind in it that <paramref name="filter"/> accepts) or a name (that one
    /// entry, found on the search path). <paramref name="services"/> adds, per plugin name, what its
    /// constructor may ask for besides the host's handle, logger and configuration. Throws a
    /// <see cref="FluxException"/> saying what is wrong: ENOENT not found, EINVAL not a plugin or
    /// another contract major version, or what a constructor threw.
    /// </summary>
    IReadOnlyList<ILoadedPlugin> Load(string spec, PluginKind kind, Func<string, bool>? filter, Action<string, IServiceCollection>? services);
}
