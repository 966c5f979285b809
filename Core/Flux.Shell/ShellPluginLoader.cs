// Loads one job's C# shell plugins (builtins, by path, by name on the shell plugin path) onto its
// plugin stack, each user plugin in its own collectible load context released when the job ends.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Shell;

/// <summary>
/// The shell's loader of C# shell plugins for one job: what <c>plugin.load</c> in initrc.lua and
/// the default plugin-path loading call. A plugin is constructed for this job (its constructor may
/// ask for <see cref="IShell"/>, <see cref="IFlux"/>, an <c>ILogger&lt;T&gt;</c> and
/// <see cref="FluxConfig"/>), its <see cref="IFluxPlugin.Register"/> called with its conf, and its
/// handlers appended to the stack. A later plugin with the same name replaces the earlier one and
/// moves to the end of the order, as in flux-core. Disposing the loader (at the job's end) disposes
/// every plugin and releases the load contexts.
/// </summary>
public sealed class ShellPluginLoader : IDisposable
{
    private readonly IShell _shell;
    private readonly IPluginLoader? _loader;
    private readonly ShellPluginStack _stack;
    private readonly Action<string> _report;
    private readonly Dictionary<string, IDisposable?> _owners = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    internal ShellPluginLoader(IShell shell, IPluginLoader? loader, ShellPluginStack stack, Action<string> report)
    {
        _shell = shell;
        _loader = loader;
        _stack = stack;
        _report = report;
    }

    /// <summary>The directories a plugin name is searched in: FLUX_SHELL_PLUGIN_PATH, conf.shell_pluginpath, then the builtin folder.</summary>
    public IReadOnlyList<string> SearchPath => _loader?.SearchPath(PluginKind.ShellPlugin) ?? [BuiltinShellPlugins.Directory];

    /// <summary>The names of the loaded plugins, in call order.</summary>
    public IReadOnlyList<string> Names => _stack.Plugins;

    /// <summary>
    /// Loads C# shell plugins: <paramref name="spec"/> is a path to a <c>.dll</c> (every shell plugin
    /// in it) or a plugin name (found on <see cref="SearchPath"/>); <paramref name="conf"/> is each
    /// one's <see cref="IPluginRegistrar.Conf"/>. Returns the names loaded. Throws a
    /// <see cref="FluxException"/> saying what is wrong (ENOENT not found, EINVAL not a plugin, or what
    /// its constructor or Register threw); nothing of a failed load stays.
    /// </summary>
    public IReadOnlyList<string> Load(string spec, JsonObject? conf = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        if (_loader is null)
        {
            throw new FluxException(Errno.ENOSYS, $"{spec}: this shell has no plugin loader and cannot load C# plugins");
        }
        // Each plugin's conf is also its PluginConf, which AddFluxPluginConf<T> binds to the plugin's options class.
        var values = conf ?? [];
        var loaded = _loader.Load(spec, PluginKind.ShellPlugin, null, (name, services) =>
        {
            services.AddSingleton(_shell);
            services.AddSingleton(new PluginConf(PluginKind.ShellPlugin, name, values));
        });
        var names = new List<string>();
        for (var i = 0; i < loaded.Count; i++)
        {
            try
            {
                Register(loaded[i].Name, loaded[i].Instance, loaded[i], conf?.DeepClone() as JsonObject ?? []);
            }
            catch
            {
                foreach (var rest in loaded.Skip(i + 1))
                {
                    rest.Dispose();
                }
                throw;
            }
            names.Add(loaded[i].Name);
        }
        return names;
    }

    /// <summary>
    /// Loads every shell plugin on the search path except the builtins (which <see cref="LoadBuiltins"/>
    /// loads), one by name each, as flux-core's default initrc loads the plugin path's plugins.
    /// </summary>
    public IReadOnlyList<string> LoadSearchPath()
    {
        if (_loader is null)
        {
            return [];
        }
        var builtins = Path.GetFullPath(BuiltinShellPlugins.Directory) + Path.DirectorySeparatorChar;
        var names = new List<string>();
        foreach (var (name, path) in _loader.Available(PluginKind.ShellPlugin))
        {
            if (!path.StartsWith(builtins, StringComparison.Ordinal))
            {
                names.AddRange(Load(name));
            }
        }
        return names;
    }

    // How each builtin is constructed, worked out once per process (ActivatorUtilities.CreateInstance
    // would look the constructor up again for every job).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>Constructs this job's instance of each builtin and registers it, in the builtins' order.</summary>
    internal void LoadBuiltins(IReadOnlyList<(string Name, Type Type)> builtins, IServiceProvider services)
    {
        foreach (var (name, type) in builtins)
        {
            var instance = Factories.GetOrAdd(type, t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes))(services, null);
            Register(name, instance, instance as IDisposable, []);
        }
    }

    /// <summary>Disposes the plugins and releases their load contexts; later calls do nothing (the run and the shell's disposal both call it).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop.Cancel();
        foreach (var owner in _owners.Values)
        {
            owner?.Dispose();
        }
        _owners.Clear();
        _stop.Dispose();
    }

    private void Register(string name, object instance, IDisposable? owner, JsonObject conf)
    {
        try
        {
            if (instance is not IFluxPlugin plugin)
            {
                throw new FluxException(Errno.EINVAL, $"shell plugin {name}: {instance.GetType().FullName} does not implement IFluxPlugin");
            }
            var registrar = new ShellPluginRegistrar(name, conf, _report);
            plugin.Register(registrar);
            _stack.Register(name, registrar.StackHandlers(_stop.Token));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            owner?.Dispose();
            throw ex is FluxException fx ? fx : new FluxException(Errno.EINVAL, $"shell plugin {name}: {ex.GetType().Name}: {ex.Message}", ex);
        }
        if (_owners.Remove(name, out var earlier))
        {
            earlier?.Dispose();
        }
        _owners[name] = owner;
    }
}
