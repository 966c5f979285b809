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
    private readonly Dictionary<string, Kept> _kept = new(StringComparer.Ordinal);

    /// <summary>
    /// Keeps an IL plugin's load context after its plugins are disposed, for the next load of the same
    /// files (the same path, and the files of its folder unchanged: <see cref="ShadowCopy.Version"/>).
    /// The shell host loads a job's C# shell plugins for each job, and a new collectible context per job
    /// meant a copy of the plugin's folder and every method compiled again, each job (a third of a
    /// `true` job's time). A load of changed files gets a new context; the one it replaces unloads once
    /// its last plugin is disposed. Each load still constructs new plugin instances; static fields live
    /// as long as the kept context, as a ReadyToRun plugin's always do (its context is never unloaded).
    /// </summary>
    public bool ReuseContexts { get; init; }

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
        var (first, shared) = LoadContext(md, entries[0], entries.Count);
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

    // The context for a load of count plugins of one assembly: a new one, or with ReuseContexts the kept
    // one of the same file.
    private (Type First, SharedContext Shared) LoadContext(PluginMetadata md, PluginEntry entry, int count)
    {
        if (!ReuseContexts || md.IsReadyToRun)
        {
            var (context, first) = PluginLoader.Load(md, entry);
            return (first, new SharedContext(count, context.UnloadIfCollectible));
        }
        var path = Path.GetFullPath(md.Path);
        var stamp = ShadowCopy.Version(path);
        lock (_lock)
        {
            if (_kept.TryGetValue(path, out var kept) && kept.Stamp == stamp)
            {
                kept.Users++;
                return (kept.Assembly.GetType(entry.TypeName, throwOnError: true)!, new SharedContext(count, () => Release(kept)));
            }
            var (context, first) = PluginLoader.Load(md, entry);
            if (kept is not null)
            {
                kept.Superseded = true;
                if (kept.Users == 0)
                {
                    kept.Context.UnloadIfCollectible();
                }
            }
            var fresh = new Kept(context, first.Assembly, stamp) { Users = 1 };
            _kept[path] = fresh;
            return (first, new SharedContext(count, () => Release(fresh)));
        }
    }

    // The last plugin of one load of a kept context is disposed: the context unloads if a newer file replaced it.
    private void Release(Kept kept)
    {
        lock (_lock)
        {
            if (--kept.Users == 0 && kept.Superseded)
            {
                kept.Context.UnloadIfCollectible();
            }
        }
    }

    // A kept context: its plugin assembly (held here, outside the context, so that it is loaded once),
    // the version of its files when it was loaded, its loads whose plugins are not all disposed, and
    // whether newer files replaced it.
    private sealed class Kept(PluginLoadContext context, System.Reflection.Assembly assembly, string stamp)
    {
        public PluginLoadContext Context => context;

        public System.Reflection.Assembly Assembly => assembly;

        public string Stamp => stamp;

        public int Users { get; set; }

        public bool Superseded { get; set; }
    }

    // The plugins constructed from one load share its context: the last of them disposed ends the load.
    private sealed class SharedContext(int count, Action last)
    {
        private int _count = count;

        public void Release(int n)
        {
            if (n > 0 && Interlocked.Add(ref _count, -n) == 0)
            {
                last();
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
