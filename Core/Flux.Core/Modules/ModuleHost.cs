// Loads, lists, reloads and removes broker modules; each is an actor in its own load context.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Modules;

/// <summary>
/// The module host. A module is found by path or by name on the module search path, checked for
/// its contract version, loaded into its own collectible context, given its own loop
/// (<see cref="Client.Handle.ActorContext"/>), a handle and a router connection named after it, and its name is
/// registered as a service. Every module also answers the default methods <c>NAME.ping</c>,
/// <c>NAME.stats-get</c>, <c>NAME.stats-clear</c> and <c>NAME.shutdown</c>. A module that throws
/// while loading is unloaded and the load fails with its error; one whose loop sees an unhandled
/// exception is logged with its name and unloaded; the broker keeps running either way.
/// No lock is held while module code runs, and every wait on module code is bounded: a load or a
/// configuration change that takes longer than <see cref="IBrokerContext.ModuleTimeout"/> fails
/// (the module is unloaded as far as it lets itself be), an unload gets <see cref="StopTimeout"/>, so
/// one module that never returns cannot stop the others from being loaded, removed or shut down.
/// </summary>
public sealed partial class ModuleHost : IDisposable
{
    /// <summary>How long a module's UnloadAsync, and then its loop, may take before it is dropped anyway.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Router _router;
    private readonly IBrokerContext _broker;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly List<LoadedModule> _modules = [];
    private readonly Dictionary<string, CancellationTokenSource> _loading = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private int _loadCounter;
    private int _unloadErrors;

    /// <summary>How many unloads failed or timed out: a module that could not save its data says so by throwing.</summary>
    public int UnloadErrors => _unloadErrors;

    /// <summary>Creates a host over a router.</summary>
    public ModuleHost(Router router, IBrokerContext broker, ILogger log)
    {
        _router = router;
        _broker = broker;
        _log = log;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reloadGate.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Raised when a module's load starts (its name is reserved), with its name.</summary>
    public event Action<string>? LoadStarted;

    /// <summary>Raised after a module has been removed (by command, shutdown or failure), with its name.</summary>
    public event Action<string>? Removed;

    /// <summary>Weak references to the load contexts of removed modules (tests prove they are collected).</summary>
    public List<WeakReference> Unloaded { get; } = [];

    /// <summary>The loaded modules in load order (not those still loading).</summary>
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
    /// found), EEXIST (a module of that name is loaded or loading), EINVAL (bad plugin or contract),
    /// ETIMEDOUT (its LoadAsync did not complete within the module timeout), ECANCELED (the broker
    /// shut down or the module was removed while it loaded), or the error the module threw.
    /// </summary>
    public async Task<string> LoadAsync(string spec, string? nameOverride, IReadOnlyList<string> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
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
            (md, entry) = PluginLoader.Resolve(spec, PluginKind.Module, _broker.ModuleSearchPath);
        }
        return await LoadReservedAsync(nameOverride ?? entry.Name, md.Path, args,
            () =>
            {
                var (context, type) = PluginLoader.Load(md, entry);
                return (context, type, entry.TypeName);
            }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads a module from a type already loaded in this process (an in-process test loading the
    /// module it is built with: Flux.Testing), under its <see cref="FluxPluginAttribute"/> name or
    /// <paramref name="nameOverride"/>. The module shares its caller's load context, so it is not
    /// unloaded at removal. Errors as <see cref="LoadAsync(string, string?, IReadOnlyList{string}, CancellationToken)"/>;
    /// EINVAL for a type that is not a module marked [FluxPlugin(..., PluginKind.Module)].
    /// </summary>
    public Task<string> LoadAsync(Type type, string? nameOverride, IReadOnlyList<string> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attr = type.GetCustomAttributes(typeof(FluxPluginAttribute), inherit: false).OfType<FluxPluginAttribute>().FirstOrDefault();
        if (attr is null || attr.Kind != PluginKind.Module)
        {
            throw new FluxException(Errno.EINVAL, $"{type.FullName} is not marked [FluxPlugin(NAME, PluginKind.Module)]");
        }
        return LoadReservedAsync(nameOverride ?? attr.Name, type.Assembly.Location, args, () => (null, type, type.FullName ?? type.Name), ct);
    }

    private async Task<string> LoadReservedAsync(string name, string path, IReadOnlyList<string> args, Func<(PluginLoadContext? Context, Type Type, string TypeName)> load, CancellationToken ct)
    {
        // The name is reserved while the module loads, so a second load of it fails at once instead
        // of waiting behind the first.
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        lock (_lock)
        {
            if (_modules.Any(m => m.Name == name) || _loading.ContainsKey(name))
            {
                cancel.Dispose();
                throw new FluxException(Errno.EEXIST, $"module '{name}' is already loaded");
            }
            _loading[name] = cancel;
        }
        ModuleHostLog.ModuleLoading(_log, name, path);
        LoadStarted?.Invoke(name);
        try
        {
            await LoadCoreAsync(load, path, name, args, cancel).ConfigureAwait(false);
            return name;
        }
        finally
        {
            lock (_lock)
            {
                _loading.Remove(name);
            }
            cancel.Dispose();
        }
    }

    /// <summary>
    /// Removes a module: stops it, drops its handlers and services, unloads its context. A module
    /// still loading has its load canceled. Removing a module that is being removed waits for that.
    /// </summary>
    public async Task RemoveAsync(string name, bool force = false)
    {
        LoadedModule? m;
        lock (_lock)
        {
            if (_loading.TryGetValue(name, out var loading))
            {
                loading.Cancel();
                return;
            }
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

    /// <summary>
    /// Cancels loads in progress and removes every module in reverse load order (broker shutdown);
    /// consecutive built-in modules of which none needs another (<see cref="ModuleDependencies"/>:
    /// sched-simple, job-exec, job-ingest, job-list and job-info, say) are removed side by side.
    /// <paramref name="before"/>, when given, runs before each removal with the module's name and
    /// whether it is the last one (the broker's shutdown steps that need some modules still loaded).
    /// </summary>
    public async Task RemoveAllAsync(Func<string, bool, Task>? before = null)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var mods = Modules.Reverse().ToList();
        var removed = 0;
        foreach (var batch in ModuleDependencies.RemovalBatches(mods, m => m.Name))
        {
            foreach (var m in batch)
            {
                removed++;
                if (before is not null)
                {
                    await before(m.Name, removed == mods.Count).ConfigureAwait(false);
                }
            }
            await Task.WhenAll(batch.Select(StopAsync)).ConfigureAwait(false);
        }
        if (mods.Count == 0 && before is not null)
        {
            await before(string.Empty, true).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Proposes a configuration to every module: its typed options tables (AddFluxOptions, its own
    /// and those of the plugins it hosts) are bound, and <see cref="IConfigurable"/> modules asked;
    /// if a table does not bind or a module refuses (or does not answer within the module timeout),
    /// throws naming the module and changes nothing; else applies it everywhere: the handle's
    /// configuration, the options monitors' values (their change listeners run on the module's loop),
    /// then ApplyConfigAsync.
    /// </summary>
    public async Task ReloadConfigAsync(FluxConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await _reloadGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var mods = Modules;
            var options = new Dictionary<LoadedModule, List<(IFluxOptionsBinding Binding, object Value)>>();
            foreach (var m in mods)
            {
                try
                {
                    options[m] = BindOptions(m, config);
                }
                catch (ConfigException ex)
                {
                    throw new FluxException(ex.Errnum, $"module {m.Name} refused the new configuration: {ex.Message}", ex);
                }
                if (m.Instance is IConfigurable c)
                {
                    try
                    {
                        await Bounded(m, "check the new configuration", token => m.Actor.RunAsync(() => c.ValidateConfigAsync(config, token).AsTask()), ct).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw new FluxException(ErrorMapping.ToErrnum(ex), $"module {m.Name} refused the new configuration: {ex.Message}", ex);
                    }
                }
            }
            foreach (var m in mods)
            {
                await Bounded(m, "apply the new configuration", token => m.Actor.RunAsync(async () =>
                {
                    m.Handle.Config = config;
                    foreach (var (binding, value) in options[m])
                    {
                        binding.Publish(value);
                    }
                    if (m.Instance is IConfigurable c)
                    {
                        await c.ApplyConfigAsync(config, token);
                    }
                }), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _reloadGate.Release();
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
                // flux-core's module states (INIT=0, RUNNING=1, FINALIZING=2, EXITED=3): its
                // `flux module list` unpacks an integer.
                ["status"] = ModuleStates.ToWire(m.State),
                ["order"] = m.LoadOrder,
                ["services"] = new JsonArray([.. _router.ServicesOf(m.Connection).Select(s => (JsonNode)s)]),
                // flux-core's queue counts of the module's connection, broker side: sendqueue is what
                // the broker sent the module that its loop has not taken up yet; recvqueue what the
                // module sent that the broker has not read yet, always 0 here: a module's send is
                // routed within the call, nothing waits between it and the router.
                ["sendqueue"] = m.Handle.QueuedMessages,
                ["recvqueue"] = 0,
                ["args"] = new JsonArray([.. m.Args.Select(a => (JsonNode)a)]),
            });
        }
        return new JsonObject { ["mods"] = mods };
    }

    /// <summary>Message counters of a module, and the values of its instruments (<see cref="PluginMetrics"/>).</summary>
    public JsonObject StatsJson(string name)
    {
        var m = Modules.FirstOrDefault(x => x.Name == name) ?? throw new FluxException(Errno.ENOENT, $"module '{name}' is not loaded");
        var o = StatsOf(m);
        o["name"] = m.Name;
        return o;
    }

    // Runs module code with the module timeout: a module that does not finish in time fails with
    // ETIMEDOUT; the token it was given is canceled so that a well-behaved one stops.
    private async Task Bounded(LoadedModule m, string what, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var timeout = _broker.ModuleTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await work(cts.Token).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ModuleHostLog.ModuleTimedOut(_log, m.Name, what, Fsd.Format(timeout));
            throw new FluxException(Errno.ETIMEDOUT, $"module {m.Name} did not {what} within {Fsd.Format(timeout)} (broker.module-timeout)");
        }
    }
}
