// The sched-simple module: an RFC 27 scheduler over resources acquired with RFC 28, strict priority FIFO, first-fit.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.SchedSimple;

/// <summary>
/// Registers the services <c>sched</c> and <c>feasibility</c>. At load it acquires resources
/// (<c>resource.acquire</c>, kept open for up/down updates), then says hello to the job manager
/// (<c>job-manager.sched-hello</c>: jobs that hold resources, their R read from the KVS) and
/// declares itself ready (<c>job-manager.sched-ready</c> with the queue depth). When the job manager
/// is not loaded yet, that handshake happens when it publishes <c>job-manager.online</c>, so load
/// order does not matter. Arguments: <c>queue-depth=N|unlimited</c> (default 8) or
/// <c>mode=unlimited|limited=N</c>. Configuration: <c>[sched-simple] oversubscribe</c> (see
/// <see cref="OversubscribeFrom"/>).
/// </summary>
[FluxPlugin("sched-simple", PluginKind.Module)]
public sealed partial class SchedSimpleModule(IFlux flux, ModuleArgs args, ILogger<SchedSimpleModule> log) : IFluxModule, IConfigurable
{
    private bool _stopping;
    private QueueDepth _depth = new(8);
    private ResourcePool _pool = null!;
    private JobManagerLink _link;
    private bool _relink;
    private bool _kvsWarned;

    private enum JobManagerLink
    {
        Down,
        Connecting,
        Ready,
    }

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _depth = QueueDepth.Parse(args);
        // The stream lives as long as the module, not as long as the load request.
        var acquire = flux.StreamAsync(Message.Request("resource.acquire"), CancellationToken.None).GetAsyncEnumerator(CancellationToken.None);
        try
        {
            if (!await acquire.MoveNextAsync())
            {
                throw new FluxException(Errno.EPROTO, "resource.acquire: the stream ended without resources");
            }
            var first = acquire.Current.GetJson();
            var all = Rv1.Parse(first["resources"] ?? throw new FluxException(Errno.EPROTO, "resource.acquire: no resources in the first response"));
            _pool = new ResourcePool(all, IdSet.Parse(first["up"]?.GetValue<string>() ?? string.Empty))
            {
                Oversubscribe = OversubscribeFrom(flux.Config),
            };
        }
        catch (FluxException ex)
        {
            await acquire.DisposeAsync();
            throw new FluxException(ex.Errnum, $"resource.acquire: {(ex.Errnum == Errno.ENOSYS ? "the resource module is not loaded" : ex.Message)}", ex);
        }
        flux.Background(FollowAcquireAsync(acquire), "resource.acquire updates");
        try
        {
            await StartServingAsync(cancellationToken);
        }
        catch
        {
            // Not loaded after all: the resource module must forget our acquire stream.
            _stopping = true;
            Disconnect("resource");
            throw;
        }
    }

    private async Task StartServingAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, "sched.alloc", OnAlloc);
        flux.RegisterHandler(MessageType.Request, "sched.cancel", OnCancel);
        flux.RegisterHandler(MessageType.Request, "sched.free", OnFree);
        flux.RegisterHandler(MessageType.Request, "sched.prioritize", OnPrioritize);
        flux.RegisterHandler(MessageType.Request, "sched.resource-status", OnResourceStatus, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "feasibility.check", OnFeasibilityCheck, FluxRole.User);
        flux.RegisterHandler(MessageType.Event, "job-manager.online", OnJobManagerOnline);
        await flux.AddServiceAsync("sched", cancellationToken);
        await flux.AddServiceAsync("feasibility", cancellationToken);
        await flux.SubscribeAsync("job-manager.online", cancellationToken);

        var r = _pool.All;
        if (log.IsEnabled(LogLevel.Information))
        {
            var summary = r.ToShortString();
            SchedSimpleLog.Loaded(log, r.NodeCount, r.CoreCount, r.GpuCount, summary, _depth, _pool.Oversubscribe ? "allowed" : "disallowed");
        }
        await LinkJobManagerAsync(cancellationToken);
    }

    /// <summary>
    /// <c>[sched-simple] oversubscribe</c>: whether a job asking for more cores than the instance has
    /// runs with several tasks per core rather than being refused. The default is true when the
    /// resources were discovered on this machine (no <c>resource.config</c> or <c>resource.path</c>:
    /// a personal instance, where <c>flux run -n8</c> on four cores should just run) and false when they
    /// are configured (a cluster, where such a request is a mistake), as in flux-core.
    /// </summary>
    public static bool OversubscribeFrom(FluxConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.CheckKeys("sched-simple", "oversubscribe");
        return config.GetBool("sched-simple.oversubscribe", !config.Contains("resource.config") && !config.Contains("resource.path"));
    }

    /// <inheritdoc />
    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        OversubscribeFrom(proposed);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        var before = _pool.Oversubscribe;
        _pool.Oversubscribe = OversubscribeFrom(config);
        if (before != _pool.Oversubscribe)
        {
            SchedSimpleLog.Oversubscription(log, _pool.Oversubscribe ? "allowed" : "disallowed");
            SchedulePass();
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Module connections are not tracked for disconnect notices, so say goodbye as a client
        // would (RFC 6): the resource module drops our acquire stream, the job manager stops scheduling.
        Disconnect("resource");
        if (_link != JobManagerLink.Down)
        {
            Disconnect("job-manager");
        }
        return ValueTask.CompletedTask;
    }

    private void Disconnect(string service)
    {
        var m = Message.Request(service + ".disconnect");
        m.Flags |= MessageFlags.NoResponse;
        try
        {
            flux.Send(m);
        }
        catch (FluxException ex)
        {
            SchedSimpleLog.DisconnectFailed(log, service, ex.Message);
        }
    }

    // RFC 28 updates after the first response: ranks going down (drained) or up again.
    private async Task FollowAcquireAsync(IAsyncEnumerator<Message> acquire)
    {
        try
        {
            while (await acquire.MoveNextAsync())
            {
                var o = acquire.Current.GetJson();
                if (o["down"]?.GetValue<string>() is { } down)
                {
                    _pool.SetUp(IdSet.Parse(down), up: false);
                    SchedSimpleLog.RanksDown(log, down);
                }
                if (o["up"]?.GetValue<string>() is { } up && _pool.SetUp(IdSet.Parse(up), up: true))
                {
                    SchedSimpleLog.RanksUp(log, up);
                    SchedulePass();
                }
            }
            SchedSimpleLog.AcquireEnded(log);
        }
        catch (FluxException ex) when (!_stopping)
        {
            SchedSimpleLog.AcquireFailed(log, ex.Message);
        }
        catch (FluxException)
        {
            // Unloading: the handle is closing.
        }
        finally
        {
            await acquire.DisposeAsync();
        }
    }

    private async ValueTask OnJobManagerOnline(Message ev)
    {
        if (_link == JobManagerLink.Connecting)
        {
            _relink = true;
            return;
        }
        await LinkJobManagerAsync(CancellationToken.None);
    }

    // RFC 27 hello and ready. ENOSYS means the job manager is not loaded: wait for job-manager.online.
    private async Task LinkJobManagerAsync(CancellationToken cancellationToken)
    {
        do
        {
            _relink = false;
            _link = JobManagerLink.Connecting;
            // A (new) job manager: requests of the previous one have nobody to answer to.
            DropPending();
            _pool.Reset();
            try
            {
                await HelloAsync(cancellationToken);
                var resp = await flux.RpcAsync("job-manager.sched-ready", _depth.ReadyPayload(), NodeId.Any, cancellationToken);
                _link = JobManagerLink.Ready;
                if (log.IsEnabled(LogLevel.Information))
                {
                    var count = resp?["count"]?.ToJsonString() ?? "?";
                    SchedSimpleLog.Ready(log, _depth, _pool.JobCount, count);
                }
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
            {
                _link = JobManagerLink.Down;
                SchedSimpleLog.JobManagerNotLoaded(log);
            }
            catch (Exception) when (!_relink)
            {
                _link = JobManagerLink.Down;
                throw;
            }
        }
        while (_relink);
        SchedulePass();
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var hello = Message.Request("job-manager.sched-hello", new JsonObject { ["partial-ok"] = true });
        await foreach (var m in flux.StreamAsync(hello, cancellationToken))
        {
            var o = m.GetJson();
            var id = o["id"]!.GetValue<ulong>();
            var key = Fluid.Encode(id, FluidEncoding.Kvs) + ".R";
            try
            {
                var r = Rv1.Parse(await flux.KvsGetJsonAsync(key, cancellationToken: cancellationToken)
                    ?? throw new FluxException(Errno.ENOENT, $"{key} does not exist"));
                if (o["free"]?.GetValue<string>() is { } free)
                {
                    r = r.CopyRanks(r.Ranks.Subtract(IdSet.Parse(free)));
                }
                var missing = _pool.Register(id, r);
                if (!missing.IsEmpty)
                {
                    SchedSimpleLog.HelloUnknownRanks(log, Fluid.Encode(id, FluidEncoding.F58), missing.Encode(IdSetFormat.Range));
                }
            }
            catch (FluxException ex)
            {
                SchedSimpleLog.HelloNoR(log, Fluid.Encode(id, FluidEncoding.F58), ex.Message);
            }
        }
    }

    // Puts allocated R in the KVS (RFC 16 job.<id>.R). A missing kvs service is tolerated, once said.
    private async Task<FluxException?> CommitAsync(KvsTxn txn)
    {
        try
        {
            await flux.KvsCommitAsync(txn);
            return null;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            if (!_kvsWarned)
            {
                _kvsWarned = true;
                SchedSimpleLog.NoKvs(log);
            }
            return null;
        }
        catch (FluxException ex)
        {
            return ex;
        }
    }
}
