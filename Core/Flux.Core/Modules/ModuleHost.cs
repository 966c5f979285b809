// Loads, lists, reloads and removes broker modules; each is an actor in its own load context.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Modules;

/// <summary>
/// The module host. A module is found by path or by name on the module search path, checked for
/// its contract version, loaded into its own collectible context, given its own loop
/// (<see cref="ActorContext"/>), a handle and a router connection named after it, and its name is
/// registered as a service. Every module also answers the default methods <c>NAME.ping</c>,
/// <c>NAME.stats-get</c>, <c>NAME.stats-clear</c> and <c>NAME.shutdown</c>. A module that throws
/// while loading is unloaded and the load fails with its error; one whose loop sees an unhandled
/// exception is logged with its name and unloaded; the broker keeps running either way.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly Router _router;
    private readonly IBrokerContext _broker;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<LoadedModule> _modules = [];
    private readonly Lock _lock = new();
    private int _loadCounter;
    private int _unloadErrors;

    /// <summary>How many unloads failed: a module that could not save its data says so by throwing.</summary>
    public int UnloadErrors => _unloadErrors;

    /// <summary>Creates a host over a router.</summary>
    public ModuleHost(Router router, IBrokerContext broker, ILogger log)
    {
        _router = router;
        _broker = broker;
        _log = log;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Raised after a module has been removed (by command, shutdown or failure), with its name.</summary>
    public event Action<string>? Removed;

    /// <summary>Weak references to the load contexts of removed modules (tests prove they are collected).</summary>
    public List<WeakReference> Unloaded { get; } = [];

    /// <summary>The loaded modules in load order.</summary>
    public IReadOnlyList<LoadedModule> Modules
    {
        get
        {
            lock (_lock)
            {
                return [.. _modules];
            }
        }
    }

    /// <summary>
    /// Loads a module named by path or by name. Returns the module's name. Errors: ENOENT (not
    /// found), EEXIST (a module of that name is loaded), EINVAL (bad plugin or contract), or the
    /// error the module threw from its LoadAsync.
    /// </summary>
    public async Task<string> LoadAsync(string spec, string? nameOverride, IReadOnlyList<string> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            PluginMetadata md;
            PluginEntry entry;
            if (PluginLoader.IsPath(spec))
            {
                var path = Path.GetFullPath(spec);
                // An assembly may hold several modules (kvs and kvs-watch): the name picks one.
                var named = nameOverride is not null && PluginMetadata.Read(path)?.Entries.Any(e => e.Kind == PluginKind.Module && e.Name == nameOverride) == true;
                (md, entry) = PluginLoader.Inspect(path, PluginKind.Module, named ? nameOverride : null);
            }
            else
            {
                var found = PluginLoader.Find(spec, PluginKind.Module, _broker.ModuleSearchPath)
                    ?? throw new FluxException(Errno.ENOENT, $"module '{spec}' not found on the module path ({string.Join(":", _broker.ModuleSearchPath)})");
                (md, entry) = found;
                PluginLoader.CheckContract(md);
            }
            var name = nameOverride ?? entry.Name;
            lock (_lock)
            {
                if (_modules.Any(m => m.Name == name))
                {
                    throw new FluxException(Errno.EEXIST, $"module '{name}' is already loaded");
                }
            }
            await LoadCoreAsync(md, entry, name, args, ct).ConfigureAwait(false);
            return name;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a module: stops it, drops its handlers and services, unloads its context.</summary>
    public async Task RemoveAsync(string name, bool force = false, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            LoadedModule? m;
            lock (_lock)
            {
                m = _modules.FirstOrDefault(x => x.Name == name);
            }
            if (m is null)
            {
                if (force)
                {
                    return;
                }
                throw new FluxException(Errno.ENOENT, $"module '{name}' is not loaded");
            }
            await StopAsync(m).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes every module in reverse load order (broker shutdown).</summary>
    public async Task RemoveAllAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var m in Modules.Reverse())
            {
                await StopAsync(m).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Proposes a configuration to every module that implements <see cref="IConfigurable"/>; if any
    /// refuses, throws naming it and changes nothing; else applies it everywhere.
    /// </summary>
    public async Task ReloadConfigAsync(FluxConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var mods = Modules;
            foreach (var m in mods)
            {
                if (m.Instance is IConfigurable c)
                {
                    try
                    {
                        await m.Actor.RunAsync(() => c.ValidateConfigAsync(config, ct).AsTask()).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw new FluxException(ErrorMapping.ToErrnum(ex), $"module {m.Name} refused the new configuration: {ex.Message}", ex);
                    }
                }
            }
            foreach (var m in mods)
            {
                await m.Actor.RunAsync(async () =>
                {
                    m.Handle.Config = config;
                    if (m.Instance is IConfigurable c)
                    {
                        await c.ApplyConfigAsync(config, ct);
                    }
                }).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The module list as <c>module.list</c> returns it.</summary>
    public JsonObject ListJson()
    {
        var mods = new JsonArray();
        foreach (var m in Modules)
        {
            mods.Add(new JsonObject
            {
                ["name"] = m.Name,
                ["path"] = m.Path,
                ["idle"] = m.Connection.IdleMilliseconds / 1000,
                ["status"] = m.State.ToString(),
                ["order"] = m.LoadOrder,
                ["services"] = new JsonArray([.. _router.ServicesOf(m.Connection).Select(s => (JsonNode)s)]),
                ["args"] = new JsonArray([.. m.Args.Select(a => (JsonNode)a)]),
            });
        }
        return new JsonObject { ["mods"] = mods };
    }

    /// <summary>Message counters of a module.</summary>
    public JsonObject StatsJson(string name)
    {
        var m = Modules.FirstOrDefault(x => x.Name == name) ?? throw new FluxException(Errno.ENOENT, $"module '{name}' is not loaded");
        var o = m.Connection.Counters.ToJson();
        o["name"] = m.Name;
        return o;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task LoadCoreAsync(PluginMetadata md, PluginEntry entry, string name, IReadOnlyList<string> args, CancellationToken ct)
    {
        var (context, type) = PluginLoader.Load(md, entry);
        if (!typeof(IFluxModule).IsAssignableFrom(type))
        {
            context.UnloadIfCollectible();
            throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(md.Path)}: {entry.TypeName} is marked as a module but does not implement IFluxModule");
        }
        LoadedModule? module = null;
        var actor = new ActorContext("module:" + name, ex => OnUnhandled(name, ex));
        var conn = new RouterChannel(_router, name, _broker.OwnerUid, FluxRole.Owner | FluxRole.Local);
        var handle = new FluxHandle(conn, name, actor, _router.Rank, _broker.Size, _broker.Config);
        foreach (var (k, v) in _broker.CacheableAttributes)
        {
            handle.CacheAttr(k, v);
        }
        int order;
        lock (_lock)
        {
            order = ++_loadCounter;
        }
        module = new LoadedModule(name, md.Path, order, context, actor, conn, handle) { Args = args };
        try
        {
            handle.Start();
            _router.AddService(name, conn);
            RegisterDefaults(module);
            await actor.RunAsync(async () =>
            {
                // In-process modules log into the ring directly, not through a log.append message
                // per record (a job's debug lines would otherwise cost the broker two messages).
                var (instance, provider) = PluginActivator.Create(type, handle, args, createLogger: _ => new RingLogger(_broker.Log, name, 0));
                module.Provider = provider;
                module.Instance = (IFluxModule)instance;
                await module.Instance.LoadAsync(ct);
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ModuleHostLog.ModuleLoadFailed(_log, name, ex.Message);
            await TearDownAsync(module).ConfigureAwait(false);
            throw ex is FluxException fx
                ? new FluxException(fx.Errnum, $"module {name}: {fx.Message}", fx)
                : new FluxException(ErrorMapping.ToErrnum(ex), $"module {name} failed to load: {ex.GetType().Name}: {ex.Message}", ex);
        }
        module.State = 'R';
        lock (_lock)
        {
            _modules.Add(module);
        }
        ModuleHostLog.ModuleLoaded(_log, name, md.Path);
    }

    private void RegisterDefaults(LoadedModule m)
    {
        var h = m.Handle;
        h.RegisterHandler(MessageType.Request, m.Name + ".ping", msg =>
        {
            var payload = msg.GetJsonOrNull() ?? new JsonObject();
            payload["route"] = string.Join('!', msg.Routes ?? []) + "!" + m.Name;
            h.Respond(msg, payload);
            return ValueTask.CompletedTask;
        }, FluxRole.User);
        h.RegisterHandler(MessageType.Request, m.Name + ".stats-get", msg =>
        {
            h.Respond(msg, m.Connection.Counters.ToJson());
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, m.Name + ".stats-clear", msg =>
        {
            m.Connection.Counters.Clear();
            h.Respond(msg);
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, m.Name + ".shutdown", msg =>
        {
            BackgroundWork.Run(() => RemoveAsync(m.Name, force: true), _log, $"module {m.Name}: shutdown");
            return ValueTask.CompletedTask;
        });
    }

    private void OnUnhandled(string name, Exception ex)
    {
        ModuleHostLog.ModuleUnhandled(_log, name, ex.ToString());
        BackgroundWork.Run(async () =>
        {
            try
            {
                await RemoveAsync(name, force: true).ConfigureAwait(false);
            }
            catch (FluxException fx)
            {
                ModuleHostLog.ModuleUnloadAfterFailure(_log, name, fx.Message);
            }
        }, _log, $"module {name}: unload after failure");
    }

    private async Task StopAsync(LoadedModule m)
    {
        m.State = 'F';
        if (m.Instance is { } instance)
        {
            try
            {
                using var cts = new CancellationTokenSource(StopTimeout);
                await m.Actor.RunAsync(() => instance.UnloadAsync(cts.Token).AsTask()).WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _unloadErrors);
                ModuleHostLog.ModuleUnloadError(_log, m.Name, ex.Message);
            }
        }
        lock (_lock)
        {
            _modules.Remove(m);
        }
        await TearDownAsync(m).ConfigureAwait(false);
        ModuleHostLog.ModuleRemoved(_log, m.Name);
        Removed?.Invoke(m.Name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task TearDownAsync(LoadedModule m)
    {
        m.Handle.ClearHandlers();
        await m.Connection.DisposeAsync().ConfigureAwait(false);
        m.Actor.Complete();
        m.Actor.Join(StopTimeout);
        m.Provider?.Dispose();
        m.Provider = null;
        m.Instance = null;
        await m.Handle.DisposeAsync().ConfigureAwait(false);
        m.Actor.Dispose();
        // A ReadyToRun module's context is not collectible: its code stays mapped after removal.
        if (m.Context.IsCollectible)
        {
            Unloaded.Add(new WeakReference(m.Context, trackResurrection: false));
            m.Context.Unload();
        }
    }
}
