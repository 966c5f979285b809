// The message router: requests to services by first topic word, responses back along the route
// stack, events in sequence to every matching subscriber (RFC 3, RFC 6).
using System.Collections.Concurrent;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// Routes messages between connections on one broker. Routing runs on the sender's thread and never
/// blocks: delivery only queues. Credentials are stamped where a message enters: a guest connection
/// always gets its own (uid, roles); an owner connection keeps a credential already set on the
/// message (a proxy acting for someone), else gets its own. A client's request starts a new route
/// stack (it cannot pose as another sender), and a client's response is delivered only when it
/// answers a request the router handed that client (<see cref="DeliveredRequests"/>); anything else
/// is dropped and logged. Modules and the broker's own services run trusted code in the broker:
/// their traffic is not tracked, so it costs no allocation here.
/// </summary>
public sealed class Router
{
    private readonly ConcurrentDictionary<string, BrokerConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BrokerConnection> _services = new(StringComparer.Ordinal);
    private readonly Lock _eventLock = new();
    private BrokerConnection[] _all = [];
    private uint _sequence;
    private readonly ILogger _log;

    /// <summary>Creates a router for a broker rank; <paramref name="log"/> hears of dropped responses.</summary>
    public Router(uint rank, ILogger? log = null)
    {
        Rank = rank;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>The rank of this broker.</summary>
    public uint Rank { get; }

    private long _routed;

    /// <summary>Messages routed so far (for idle detection; not exact under races).</summary>
    public long Routed => Volatile.Read(ref _routed);

    /// <summary>The last event sequence number assigned.</summary>
    public uint Sequence => Volatile.Read(ref _sequence);

    /// <summary>Raised after a connection detaches, with the services it had used (for disconnect notices).</summary>
    public event Action<BrokerConnection>? Detached;

    /// <summary>Attaches a connection under its route identity.</summary>
    public void Attach(BrokerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_connections.TryAdd(connection.Id, connection))
        {
            throw new FluxException(Errno.EEXIST, $"connection '{connection.Id}' is already attached");
        }
        lock (_eventLock)
        {
            _all = [.. _all, connection];
        }
    }

    /// <summary>Detaches a connection: its services and subscriptions go with it.</summary>
    public void Detach(BrokerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_connections.TryRemove(new KeyValuePair<string, BrokerConnection>(connection.Id, connection)))
        {
            return;
        }
        foreach (var kv in _services)
        {
            if (ReferenceEquals(kv.Value, connection))
            {
                _services.TryRemove(kv);
            }
        }
        BrokerConnection[] rest;
        lock (_eventLock)
        {
            _all = rest = [.. _all.Where(c => !ReferenceEquals(c, connection))];
        }
        // A request whose requester is gone can no longer be answered: a later connection or module
        // reusing the name must not receive its late response.
        foreach (var c in rest)
        {
            if (c.Delivered is { Count: > 0 } pending)
            {
                pending.Forget(connection.Id);
            }
        }
        Detached?.Invoke(connection);
    }

    /// <summary>Looks up an attached connection by route identity.</summary>
    public BrokerConnection? Find(string id) => _connections.TryGetValue(id, out var c) ? c : null;

    /// <summary>Registers a service name for a connection. EEXIST if another connection has it.</summary>
    public void AddService(string service, BrokerConnection owner)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Length == 0 || service.Contains('.', StringComparison.Ordinal))
        {
            throw new FluxException(Errno.EINVAL, $"invalid service name '{service}'");
        }
        if (!_services.TryAdd(service, owner) && !ReferenceEquals(_services[service], owner))
        {
            throw new FluxException(Errno.EEXIST, $"service '{service}' is already registered");
        }
    }

    /// <summary>Removes a service name registered by a connection. ENOENT if it does not own it.</summary>
    public void RemoveService(string service, BrokerConnection owner)
    {
        if (!_services.TryRemove(new KeyValuePair<string, BrokerConnection>(service, owner)))
        {
            throw new FluxException(Errno.ENOENT, $"service '{service}' is not registered by this connection");
        }
    }

    /// <summary>The services registered by a connection, sorted.</summary>
    public IReadOnlyList<string> ServicesOf(BrokerConnection owner) =>
        [.. _services.Where(kv => ReferenceEquals(kv.Value, owner)).Select(kv => kv.Key).Order(StringComparer.Ordinal)];

    /// <summary>Routes a message that entered the broker from a connection.</summary>
    public void Route(BrokerConnection from, Message msg)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(msg);
        Stamp(from, msg);
        _routed++;
        from.Touch();
        from.Counters.CountTx(msg.Type);
        switch (msg.Type)
        {
            case MessageType.Request:
                RouteRequest(from, msg);
                break;
            case MessageType.Response:
                if (from.Delivered is { } delivered && !delivered.Complete(msg))
                {
                    DropResponse(from, delivered, msg);
                    break;
                }
                RouteResponse(msg);
                break;
            case MessageType.Event:
                if (from.IsOwner)
                {
                    Publish(msg, from);
                }
                break;
            default:
                // Control messages are never routed (RFC 3).
                break;
        }
    }

    /// <summary>
    /// Publishes an event: assigns the next sequence number and delivers it, in sequence order, to
    /// every connection subscribed to a prefix of its topic. A private event goes only to owner
    /// connections and to its sender.
    /// </summary>
    public uint Publish(Message ev, BrokerConnection? sender)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ev.Type = MessageType.Event;
        ev.Routes = null;
        ev.Aux2 = 0;
        var isPrivate = (ev.Flags & MessageFlags.Private) != 0;
        var topic = ev.Topic ?? string.Empty;
        lock (_eventLock)
        {
            ev.Sequence = ++_sequence;
            foreach (var c in _all)
            {
                if (c.IsSubscribed(topic) && (!isPrivate || c.IsOwner || ReferenceEquals(c, sender)))
                {
                    c.Counters.CountRx(MessageType.Event);
                    c.Deliver(ev);
                }
            }
            return ev.Sequence;
        }
    }

    private static void Stamp(BrokerConnection from, Message msg)
    {
        if (!from.IsOwner || msg.UserId == NodeId.UnknownUserId || msg.RoleMask == FluxRole.None)
        {
            msg.UserId = from.UserId;
            msg.RoleMask = from.Roles;
        }
    }

    private void RouteRequest(BrokerConnection from, Message msg)
    {
        if (from.IsClient)
        {
            // A client is where a request starts: routes it brings would let it name another sender.
            msg.Routes?.Clear();
        }
        (msg.Routes ??= []).Add(from.Id);
        if ((msg.Flags & MessageFlags.Upstream) != 0)
        {
            // Rank 0 has no parent: nothing is upstream of it.
            Fail(from, msg, Errno.EHOSTUNREACH, "no route upstream of rank " + Rank);
            return;
        }
        if (msg.NodeIdTarget != NodeId.Any && msg.NodeIdTarget != Rank)
        {
            Fail(from, msg, Errno.EHOSTUNREACH, $"no route to rank {msg.NodeIdTarget}");
            return;
        }
        var service = ServiceOf(msg.Topic);
        if (!_services.TryGetValue(service, out var target))
        {
            Fail(from, msg, Errno.ENOSYS, null);
            return;
        }
        if (target.Delivered is { } delivered && !msg.IsNoResponse && msg.Matchtag != NodeId.MatchtagNone && !delivered.TryAdd(msg))
        {
            Fail(from, msg, Errno.EAGAIN, $"service '{service}': its client holds {DeliveredRequests.Capacity} unanswered requests");
            return;
        }
        from.ServicesUsed?.Add(service);
        target.Counters.CountRx(MessageType.Request);
        target.Deliver(msg);
    }

    private void RouteResponse(Message msg)
    {
        var routes = msg.Routes;
        if (routes is null || routes.Count == 0)
        {
            return;
        }
        var next = routes[^1];
        routes.RemoveAt(routes.Count - 1);
        if (_connections.TryGetValue(next, out var target))
        {
            target.Counters.CountRx(MessageType.Response);
            target.Deliver(msg);
        }
    }

    private void DropResponse(BrokerConnection from, DeliveredRequests delivered, Message msg)
    {
        if (delivered.CountDropped(out var dropped))
        {
            BrokerLog.ResponseDropped(_log, from.Id, from.UserId, msg.Topic ?? string.Empty, msg.Matchtag, dropped);
        }
    }

    private static void Fail(BrokerConnection from, Message request, int errnum, string? text)
    {
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        r.Routes!.RemoveAt(r.Routes.Count - 1);
        r.Errnum = errnum;
        if (text is not null)
        {
            r.SetString(text);
        }
        from.Counters.CountRx(MessageType.Response);
        from.Deliver(r);
    }

    private static string ServiceOf(string? topic)
    {
        if (topic is null)
        {
            return string.Empty;
        }
        var dot = topic.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? topic : topic[..dot];
    }
}
