// The module host's start and stop of one module: load context, loop, handle, timeouts, tear-down.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Flux.Core.Broker;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Flux.Formats;

namespace Flux.Core.Modules;

public sealed partial class ModuleHost
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task LoadCoreAsync(Func<(PluginLoadContext? Context, Type Type, string TypeName)> resolve, string path, string name, IReadOnlyList<string> args, CancellationTokenSource cancel)
    {
        var (context, type, typeName) = resolve();
        if (!typeof(IFluxModule).IsAssignableFrom(type))
        {
            context?.UnloadIfCollectible();
            throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(path)}: {typeName} is marked as a module but does not implement IFluxModule");
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
        module = new LoadedModule(name, path, order, context, actor, conn, handle) { Args = args };
        var timeout = _broker.ModuleTimeout;
        using var timer = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, timer.Token);
        try
        {
            handle.Start();
            _router.AddService(name, conn);
            RegisterDefaults(module);
            var ct = stop.Token;
            var load = actor.RunAsync(async () =>
            {
                // In-process modules log into the ring directly, not through a log.append message
                // per record (a job's debug lines would otherwise cost the broker two messages).
                module.Plugins = new HostPluginLoader(handle, _broker.Attribute, _ => new RingLogger(_broker.Log, name, 0), _broker.InProcessPlugins);
                var (instance, provider) = PluginActivator.Create(type, handle, args,
                    s => s.AddSingleton<IPluginLoader>(module.Plugins).AddSingleton(_broker.Time),
                    createLogger: _ => new RingLogger(_broker.Log, name, 0));
                module.Provider = provider;
                module.Instance = (IFluxModule)instance;
                await module.Instance.LoadAsync(ct);
            });
            await load.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var error = LoadError(name, ex, stop.IsCancellationRequested, timer.IsCancellationRequested, timeout);
            if (ex is OperationCanceledException && cancel.IsCancellationRequested && !timer.IsCancellationRequested)
            {
                // Canceled by its caller (a signal during rc1) or by the shutdown: not a fault of the module.
                ModuleHostLog.ModuleLoadCanceled(_log, name);
            }
            else
            {
                ModuleHostLog.ModuleLoadFailed(_log, name, error.Message);
            }
            await TearDownAsync(module).ConfigureAwait(false);
            throw error;
        }
        module.State = 'R';
        lock (_lock)
        {
            _modules.Add(module);
        }
        ModuleHostLog.ModuleLoaded(_log, name, path);
        WarnOutsideServices(module);
    }

    // A request handler under another service name never sees a request (the router sends those to
    // that service's owner): most often a topic written with the plugin's name, which `-n` changes.
    private void WarnOutsideServices(LoadedModule m)
    {
        var services = _router.ServicesOf(m.Connection);
        foreach (var topic in m.Handle.RequestHandlerTopics())
        {
            var dot = topic.IndexOf('.', StringComparison.Ordinal);
            var service = dot < 0 ? topic : topic[..dot];
            if (service.Length > 0 && !Glob.IsGlob(service) && !services.Contains(service))
            {
                ModuleHostLog.HandlerOutsideServices(_log, m.Name, topic, string.Join(", ", services));
            }
        }
    }

    // What a failed load reports: the module's own error, or why the host stopped waiting for it.
    private FluxException LoadError(string name, Exception ex, bool stopped, bool timedOut, TimeSpan timeout)
    {
        if (ex is OperationCanceledException && stopped)
        {
            if (timedOut)
            {
                return new FluxException(Errno.ETIMEDOUT, $"module {name}: load did not complete within {Fsd.Format(timeout)} (broker.module-timeout): unloaded", ex);
            }
            return new FluxException(Errno.ECANCELED, _stopping.IsCancellationRequested
                ? $"module {name}: load canceled: the broker is shutting down"
                : $"module {name}: load canceled", ex);
        }
        return ex is FluxException fx
            ? new FluxException(fx.Errnum, $"module {name}: {fx.Message}", fx)
            : new FluxException(ErrorMapping.ToErrnum(ex), $"module {name} failed to load: {ex.GetType().Name}: {ex.Message}", ex);
    }

    private void RegisterDefaults(LoadedModule m)
    {
        var h = m.Handle;
        h.RegisterHandler(MessageType.Request, m.Name + ".ping", msg =>
        {
            var payload = msg.GetJsonOrNull() ?? new JsonObject();
            payload["route"] = PingRoute.Of(msg);
            payload["userid"] = msg.UserId;
            payload["rolemask"] = (uint)msg.RoleMask;
            payload["rank"] = _router.Rank;
            h.Respond(msg, payload);
            return ValueTask.CompletedTask;
        }, FluxRole.User);
        h.RegisterHandler(MessageType.Request, m.Name + ".stats-get", msg =>
        {
            h.Respond(msg, StatsOf(m));
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

    // One stop per module: a second remover (shutdown while `flux module remove` runs) awaits the first.
    private Task StopAsync(LoadedModule m)
    {
        lock (_lock)
        {
            return m.Stopping ??= StopCoreAsync(m);
        }
    }

    private async Task StopCoreAsync(LoadedModule m)
    {
        await Task.Yield();
        m.State = 'F';
        if (m.Instance is { } instance)
        {
            var limit = _broker.ModuleTimeout is var t && t != Timeout.InfiniteTimeSpan && t < StopTimeout ? t : StopTimeout;
            try
            {
                using var cts = new CancellationTokenSource(limit);
                await m.Actor.RunAsync(() => instance.UnloadAsync(cts.Token).AsTask()).WaitAsync(limit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref _unloadErrors);
                ModuleHostLog.ModuleUnloadTimedOut(_log, m.Name, Fsd.Format(limit));
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
        // A loop still busy in module code (a LoadAsync or UnloadAsync that never returns) cannot be
        // stopped from outside: the module is dropped without it, and its context stays loaded.
        var ended = await Task.Run(() => m.Actor.Join(StopTimeout)).ConfigureAwait(false);
        if (!ended)
        {
            ModuleHostLog.ModuleLoopStuck(_log, m.Name, Fsd.Format(StopTimeout));
        }
        try
        {
            m.Provider?.Dispose();
        }
        catch (InvalidOperationException ex)
        {
            ModuleHostLog.ModuleUnloadError(_log, m.Name, ex.Message);
        }
        m.Provider = null;
        m.Instance = null;
        m.Plugins = null;
        await m.Handle.DisposeAsync().ConfigureAwait(false);
        if (!ended)
        {
            return;
        }
        m.Actor.Dispose();
        // A ReadyToRun module's context is not collectible: its code stays mapped after removal; a
        // module loaded from its type (in-process tests) lives in its caller's context.
        if (m.Context is { IsCollectible: true })
        {
            Unloaded.Add(new WeakReference(m.Context, trackResurrection: false));
            m.Context.Unload();
        }
    }
}
