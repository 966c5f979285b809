// The broker's plugin loader offered to modules (IPluginLoader): the one PluginLoader, per-kind search paths, DI construction.
using System.Runtime.CompilerServices;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flux.Client.Plugins;

/// <summary>
/// Loads plugins for one module (job-manager's jobtap plugins): found by <see cref="PluginLoader"/>,
/// loaded into a <see cref="PluginLoadContext"/>, constructed by <see cref="PluginActivator"/> with
/// the module's handle, so their handlers and loggers belong to the module that hosts them. A name
/// registered in <paramref name="inProcess"/> for the kind is constructed from that type, in the
/// host's own load context, before the search path is looked at.
/// </summary>
public sealed class HostPluginLoader(IFlux flux, Func<string, string?> attribute, Func<string, ILogger> createLogger, InProcessPlugins? inProcess = null) : IPluginLoader
{
    private readonly Lock _lock = new();
    private readonly List<Loaded> _live = [];

    /// <summary>
    /// The service providers of the plugins loaded through this loader and not yet disposed: the
    /// module host binds their options on <c>flux config reload</c> and reads their meters.
    /// </summary>
    internal IReadOnlyList<(string Name, IServiceProvider Provider)> LivePlugins()
    {
        lock (_lock)
        {
            return [.. _live.Select(l => (l.Name, (IServiceProvider)l.Provider))];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> SearchPath(PluginKind kind)
    {
        var (env, attr) = kind switch
        {
            PluginKind.Module => ("FLUX_MODULE_PATH", "conf.module_path"),
            PluginKind.Jobtap => ("FLUX_JOBTAP_PATH", "conf.jobtap_pluginpath"),
            PluginKind.ShellPlugin => ("FLUX_SHELL_PLUGIN_PATH", "conf.shell_pluginpath"),
            PluginKind.Connector => ("FLUX_CONNECTOR_PATH", "conf.connector_path"),
            _ => ("FLUX_VALIDATOR_PATH", "conf.validator_path"),
        };
        var list = new List<string>();
        if (Environment.GetEnvironmentVariable(env) is { Length: > 0 } e)
        {
            list.AddRange(e.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }
        if (attribute(attr) is { Length: > 0 } a)
        {
            list.AddRange(a.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }
        return PluginLoader.SearchPath(kind, list);
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Name, string Path)> Available(PluginKind kind) =>
        [.. PluginLoader.List(kind, SearchPath(kind)).Select(p => (p.Entry.Name, Path.GetFullPath(p.Metadata.Path)))];

    /// <inheritdoc />
    public IReadOnlyList<ILoadedPlugin> Load(string spec, PluginKind kind, Func<string, bool>? filter, Action<string, IServiceCollection>? services)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException($"{kind} '{spec}'");
        }
        if (!PluginLoader.IsPath(spec) && inProcess?.Find(kind, spec) is { } registered)
        {
            return [LoadRegistered(spec, registered, services)];
        }
        PluginMetadata md;
        List<PluginEntry> entries;
        if (PluginLoader.IsPath(spec))
        {
            var path = Path.GetFullPath(spec);
            if (!File.Exists(path))
            {
                throw new FluxException(Errno.ENOENT, $"{path}: No such plugin found");
            }
            md = PluginMetadata.Read(path) ?? throw new FluxException(Errno.EINVAL, $"{path}: not a .NET assembly");
            PluginLoader.CheckContract(md);
            entries = [.. md.Entries.Where(e => e.Kind == kind && (filter?.Invoke(e.Name) ?? true))];
        }
        else
        {
            var found = PluginLoader.Resolve(spec, kind, SearchPath(kind));
            md = found.Metadata;
            entries = [found.Entry];
        }
        if (entries.Count == 0)
        {
            throw new FluxException(Errno.ENOENT, $"{Path.GetFileName(md.Path)}: no type marked [FluxPlugin(..., PluginKind.{kind})]");
        }
        var (context, first) = PluginLoader.Load(md, entries[0]);
        var shared = new SharedContext(context, entries.Count);
        var loaded = new List<ILoadedPlugin>();
        try
        {
            foreach (var entry in entries)
            {
                var type = entry == entries[0] ? first : first.Assembly.GetType(entry.TypeName, throwOnError: true)!;
                var (instance, provider) = PluginActivator.Create(type, flux, [], s => services?.Invoke(entry.Name, s), createLogger);
                loaded.Add(Track(new Loaded(entry.Name, Path.GetFullPath(md.Path), instance, provider, shared, Untrack)));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            loaded.ForEach(l => l.Dispose());
            shared.Release(entries.Count - loaded.Count);
            var inner = ex is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : ex;
            throw inner is FluxException fx ? fx : new FluxException(Errno.EINVAL, $"{Path.GetFileName(md.Path)}: {inner.GetType().Name}: {inner.Message}", inner);
        }
        return loaded;
    }

    // A registered type lives in the host's load context: nothing to load or unload, only to construct.
    private Loaded LoadRegistered(string name, Type type, Action<string, IServiceCollection>? services)
    {
        try
        {
            var (instance, provider) = PluginActivator.Create(type, flux, [], s => services?.Invoke(name, s), createLogger);
            return Track(new Loaded(name, Path.GetFullPath(type.Assembly.Location), instance, provider, null, Untrack));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var inner = ex is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : ex;
            throw inner is FluxException fx ? fx : new FluxException(Errno.EINVAL, $"{type.FullName}: {inner.GetType().Name}: {inner.Message}", inner);
        }
    }

    private Loaded Track(Loaded loaded)
    {
        lock (_lock)
        {
            _live.Add(loaded);
        }
        return loaded;
    }

    private void Untrack(Loaded loaded)
    {
        lock (_lock)
        {
            _live.Remove(loaded);
        }
    }

    // The plugins constructed from one assembly share its context: it unloads with the last of them.
    private sealed class SharedContext(PluginLoadContext context, int count)
    {
        private int _count = count;

        public void Release(int n)
        {
            if (n > 0 && Interlocked.Add(ref _count, -n) == 0)
            {
                context.UnloadIfCollectible();
            }
        }
    }

    private sealed class Loaded(string name, string path, object instance, ServiceProvider provider, SharedContext? context, Action<Loaded> disposed) : ILoadedPlugin
    {
        private int _disposed;

        public string Name => name;

        public ServiceProvider Provider => provider;

        public string Path => path;

        public object Instance => instance;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                disposed(this);
                (instance as IDisposable)?.Dispose();
                provider.Dispose();
                context?.Release(1);
            }
        }
    }
}
