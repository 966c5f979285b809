// The kvs module: RFC 11 hash tree over the RFC 10 content store, with namespaces and checkpoints.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

/// <summary>
/// The KVS leader, as flux-core's kvs module on rank 0: <c>kvs.lookup</c> (also at a given root),
/// <c>kvs.commit</c> (atomic transactions, merged when they queue up), <c>kvs.getroot</c>,
/// <c>kvs.wait-version</c>, <c>kvs.namespace-create|remove|list</c>. Every new root is announced with
/// the event <c>kvs.namespace-NS-setroot</c>. Every change is durable before it is answered: a
/// commit's new blobs and the new roots go to the content store together (<see cref="RootWriter"/>).
/// The record is written again every <c>[kvs] checkpoint-period</c> and at unload, and the roots are
/// restored from the newest record at load.
/// </summary>
[FluxPlugin("kvs", PluginKind.Module)]
public sealed partial class KvsModule(IFlux flux, ILogger<KvsModule> log) : IFluxModule, IConfigurable, IDisposable
{
    private static readonly TimeSpan CacheIdle = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, KvsNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private ObjectCache _cache = null!;
    private RootWriter _writer = null!;
    private uint _instanceOwner;
    private long _blobLimit = 1L << 30;
    private double _checkpointPeriod = DefaultCheckpointPeriod;
    private long _gcThreshold;
    private CancellationTokenSource? _timer;
    private long _commits;
    private long _commitsSinceGc;
    private bool _gcRequested;

    private const double DefaultCheckpointPeriod = 30 * 60;

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        ReadConfig(flux.Config, apply: true);
        _cache = new ObjectCache(flux, BlobHash.Parse(await flux.GetAttrAsync("content.hash", cancellationToken)));
        _writer = new RootWriter(flux, _cache, () => _commitsSinceGc);
        _instanceOwner = uint.Parse(await flux.GetAttrAsync("instance-owner", cancellationToken) ?? "0", CultureInfo.InvariantCulture);
        if (await flux.GetAttrAsync("content.blob-size-limit", cancellationToken) is { } limit)
        {
            _blobLimit = long.Parse(limit, CultureInfo.InvariantCulture);
        }
        await RestoreAsync();
        flux.RegisterHandler(MessageType.Request, "kvs.lookup", Lookup, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.lookup-plus", Lookup, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.commit", Commit, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.getroot", GetRoot, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.wait-version", WaitVersion, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.namespace-create", NamespaceCreate);
        flux.RegisterHandler(MessageType.Request, "kvs.namespace-remove", NamespaceRemove);
        flux.RegisterHandler(MessageType.Request, "kvs.namespace-list", NamespaceList, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs.checkpoint", CheckpointRequest);
        flux.RegisterHandler(MessageType.Request, "kvs.gc-on-shutdown", GcOnShutdown);
        flux.RegisterHandler(MessageType.Request, "kvs.disconnect", Disconnect, FluxRole.All);
        flux.RegisterHandler(MessageType.Request, "kvs.stats-get", Stats, FluxRole.All);
        StartTimer();
        _cache.Pinned = () => _namespaces.Values.Select(n => n.RootRef).ToHashSet(StringComparer.Ordinal);
        flux.Background(ExpireLoopAsync(_stopping.Token), "cache expiry");
        AdviseGc("at start-up");
    }

    /// <inheritdoc />
    public async ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _timer?.Cancel();
        foreach (var ns in _namespaces.Values)
        {
            while (ns.Committing && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
        try
        {
            await CheckpointAsync(final: true);
        }
        catch (FluxException ex)
        {
            KvsLog.FinalCheckpointFailed(log, ex.Message);
        }
        if (!_gcRequested)
        {
            AdviseGc("at shutdown");
        }
        foreach (var ns in _namespaces.Values)
        {
            foreach (var (_, req) in ns.VersionWaiters)
            {
                flux.RespondError(req, Errno.ENOSYS, "kvs module unloading");
            }
            ns.VersionWaiters.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        ReadConfig(proposed, apply: false);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        var old = _checkpointPeriod;
        ReadConfig(config, apply: true);
        if (old != _checkpointPeriod)
        {
            StartTimer();
        }
        return ValueTask.CompletedTask;
    }

    private void ReadConfig(FluxConfig config, bool apply)
    {
        ArgumentNullException.ThrowIfNull(config);
        var table = config.GetTable("kvs");
        var period = DefaultCheckpointPeriod;
        long threshold = 0;
        if (table is not null)
        {
            config.CheckKeys("kvs", "checkpoint-period", "gc-threshold");
            if (config.Get("kvs.checkpoint-period") is { } p)
            {
                if (p is not JsonValue v || !v.TryGetValue(out string? text) || !Fsd.TryParse(text, out period))
                {
                    throw config.Error("kvs.checkpoint-period", "expected a duration like \"30m\"", p);
                }
            }
            threshold = config.GetInt64("kvs.gc-threshold", 0);
            if (threshold < 0)
            {
                throw config.Error("kvs.gc-threshold", "expected a number of commits >= 0", config.Get("kvs.gc-threshold"));
            }
        }
        if (apply)
        {
            _checkpointPeriod = period;
            _gcThreshold = threshold;
        }
    }

    private void StartTimer()
    {
        _timer?.Cancel();
        _timer?.Dispose();
        _timer = null;
        if (_checkpointPeriod <= 0 || double.IsInfinity(_checkpointPeriod))
        {
            return;
        }
        _timer = new CancellationTokenSource();
        // A loop that died would leave the KVS without checkpoints until the next restart: start another.
        flux.Background(CheckpointLoopAsync(TimeSpan.FromSeconds(_checkpointPeriod), _timer.Token), "checkpoint timer", onFault: _ => StartTimer());
    }

    private async Task CheckpointLoopAsync(TimeSpan period, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await LongTimer.DelayAsync(period.TotalSeconds, TimeProvider.System, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await CheckpointAsync(final: false);
            }
            catch (FluxException ex)
            {
                KvsLog.CheckpointFailed(log, ex.Message);
            }
        }
    }

    private async Task ExpireLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var pinned = _namespaces.Values.Select(n => n.RootRef).ToHashSet(StringComparer.Ordinal);
            _cache.Expire(CacheIdle, pinned);
        }
    }

    private void AdviseGc(string when)
    {
        if (_gcThreshold > 0 && _commitsSinceGc >= _gcThreshold)
        {
            KvsLog.GcAdvised(log, _commitsSinceGc, _gcThreshold, when);
        }
    }

    private KvsNamespace Namespace(string? name, Message request)
    {
        name ??= KvsExtensions.Primary;
        if (!_namespaces.TryGetValue(name, out var ns) || ns.Removed)
        {
            throw new FluxException(Errno.EOPNOTSUPP, $"namespace '{name}' does not exist");
        }
        if (!ns.Allows(request))
        {
            throw new FluxException(Errno.EPERM, $"namespace '{name}': access denied to uid {request.UserId}");
        }
        return ns;
    }

    private ValueTask Stats(Message msg)
    {
        flux.Respond(msg, new JsonObject
        {
            ["namespaces"] = _namespaces.Count,
            ["cache-objects"] = _cache.Count,
            ["commits"] = _commits,
            ["commits-since-gc"] = _commitsSinceGc,
            ["checkpoint-period"] = _checkpointPeriod,
            ["gc-threshold"] = _gcThreshold,
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask Disconnect(Message msg)
    {
        foreach (var ns in _namespaces.Values)
        {
            ns.VersionWaiters.RemoveAll(w => w.Request.Sender == msg.Sender);
        }
        return ValueTask.CompletedTask;
    }
}
