// The resource module: the instance inventory, RFC 28 resource.acquire for the scheduler, drain state, resource.status and sched-status.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Resource;

/// <summary>
/// Serves <c>resource.acquire</c> (RFC 28, streaming, owner only), <c>resource.drain</c>,
/// <c>resource.undrain</c> (owner only), <c>resource.status</c> and <c>resource.sched-status</c> (any user). The inventory comes
/// from the <c>[resource]</c> table (see <see cref="ResourceInventory"/>); drain state is replayed
/// from the KVS <c>resource.eventlog</c> at load and every change is appended to it. This build runs
/// one broker, so every rank of R counts as online: nothing ever goes offline, and only draining
/// takes a rank away from the scheduler. Changes to <c>[resource]</c> take effect at the next start.
/// </summary>
[FluxPlugin("resource", PluginKind.Module)]
public sealed partial class ResourceModule(IFlux flux, ILogger<ResourceModule> log) : IFluxModule, IConfigurable
{
    private readonly DrainTable _drain = new();
    private readonly List<Message> _subscribers = [];
    private ResourceInventory _inventory = null!;
    private ResourceEventLog _reslog = null!;

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _inventory = ResourceInventory.FromConfig(flux.Config);
        _reslog = new ResourceEventLog(flux, log);
        _drain.Replay(await _reslog.ReadAsync(cancellationToken), _inventory.R);

        // flux-core: a rank cannot be both excluded and drained; excluding a drained rank undrains it.
        var txn = new KvsTxn().PutJson("resource.R", _inventory.R.ToJson());
        var excludedDrained = _drain.Ranks.Intersect(_inventory.Exclude);
        if (!excludedDrained.IsEmpty)
        {
            _drain.Undrain(excludedDrained);
            txn.Append(ResourceEventLog.Key, new EventlogEntry(Now(), "undrain", TargetContext(excludedDrained)).ToLine());
        }
        await _reslog.PostAsync(new EventlogEntry(Now(), "resource-define", new JsonObject { ["method"] = _inventory.Method }), txn, cancellationToken);

        flux.RegisterHandler(MessageType.Request, "resource.acquire", OnAcquire);
        flux.RegisterHandler(MessageType.Request, "resource.disconnect", OnDisconnect, FluxRole.All);
        flux.RegisterHandler(MessageType.Request, "resource.drain", OnDrain);
        flux.RegisterHandler(MessageType.Request, "resource.undrain", OnUndrain);
        flux.RegisterHandler(MessageType.Request, "resource.status", OnStatus, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "resource.sched-status", OnSchedStatus, FluxRole.User);

        var r = _inventory.R;
        if (log.IsEnabled(LogLevel.Information))
        {
            var excluded = _inventory.Exclude.Encode(IdSetFormat.Range);
            var drained = _drain.Ranks.Encode(IdSetFormat.Range);
            ResourceLog.Loaded(log, _inventory.Method, r.NodeCount, r.Nodelist, r.CoreCount, r.GpuCount, excluded, drained);
        }
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        // End every acquire stream (RFC 6: ENODATA) so that the scheduler hears the service went away.
        foreach (var s in _subscribers)
        {
            try
            {
                flux.RespondError(s, Errno.ENODATA);
            }
            catch (FluxException ex)
            {
                ResourceLog.AcquireEndFailed(log, s.Sender, ex.Message);
            }
        }
        _subscribers.Clear();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        ResourceInventory.FromConfig(proposed);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        var next = ResourceInventory.FromConfig(config);
        if (next.R.ToString() != _inventory.R.ToString() || next.Exclude != _inventory.Exclude || next.Schedulable.ToString() != _inventory.Schedulable.ToString())
        {
            ResourceLog.ConfigChanged(log);
        }
        return ValueTask.CompletedTask;
    }

    // RFC 28: the first response carries R and the ranks that are up; later ones carry up or down.
    private ValueTask OnAcquire(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "resource.acquire: the request must be streaming (RFC 28)");
        }
        var schedulable = _inventory.Schedulable;
        flux.Respond(msg, new JsonObject
        {
            ["resources"] = schedulable.ToJson(),
            ["up"] = schedulable.Ranks.Subtract(_drain.Ranks).Encode(IdSetFormat.Range),
        });
        _subscribers.Add(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDisconnect(Message msg)
    {
        var sender = msg.Sender;
        var dropped = _subscribers.RemoveAll(s => s.Sender == sender);
        if (dropped > 0)
        {
            ResourceLog.SubscriberDisconnected(log, sender);
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnStatus(Message msg)
    {
        var drained = _drain.ToJson();
        flux.Respond(msg, new JsonObject
        {
            ["R"] = _inventory.R.ToJson(),
            ["exclude"] = _inventory.Exclude.Encode(IdSetFormat.Range),
            ["drained"] = drained,
            // flux-core names this key "drain"; both are sent so its tools read the reply too.
            ["drain"] = drained.DeepClone(),
            ["online"] = _inventory.R.Ranks.Encode(IdSetFormat.Range),
            ["offline"] = string.Empty,
        });
        return ValueTask.CompletedTask;
    }

    // Tells every acquire subscriber that ranks went up or down; a subscriber that cannot be reached is dropped.
    private void Notify(string key, IdSet ranks)
    {
        var changed = ranks.Intersect(_inventory.Schedulable.Ranks);
        if (changed.IsEmpty)
        {
            return;
        }
        var payload = new JsonObject { [key] = changed.Encode(IdSetFormat.Range) };
        foreach (var s in _subscribers.ToArray())
        {
            try
            {
                flux.Respond(s, payload);
            }
            catch (FluxException ex)
            {
                ResourceLog.SubscriberDropped(log, s.Sender, ex.Message);
                _subscribers.Remove(s);
            }
        }
    }

    private JsonObject TargetContext(IdSet ranks) => new()
    {
        ["idset"] = ranks.Encode(IdSetFormat.Range),
        ["nodelist"] = _inventory.NodelistOf(ranks),
    };

    private static double Now() => (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
}
