// One party attached to the router: a module, a local client, or the broker's own services.
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// A connection to the router, with the credential it was authenticated with, its event
/// subscriptions and message counters. <see cref="Deliver"/> must not block: it queues.
/// </summary>
public abstract class BrokerConnection
{
    private string[] _subscriptions = [];
    private readonly Lock _lock = new();
    private long _lastActivity = Environment.TickCount64;

    /// <summary>
    /// Creates a connection with its route identity and credential. A client (a process or a
    /// <c>loop://</c> handle, as opposed to a module or the broker's own services, which run
    /// trusted code in the broker) is told when services it used go away, and may send only
    /// responses to requests it was handed.
    /// </summary>
    protected BrokerConnection(string id, uint userId, FluxRole roles, bool client = false)
    {
        Id = id;
        UserId = userId;
        Roles = roles;
        if (client)
        {
            ServicesUsed = [];
            Delivered = new DeliveredRequests();
        }
    }

    /// <summary>The route identity pushed on requests from this connection.</summary>
    public string Id { get; }

    /// <summary>The authenticated userid.</summary>
    public uint UserId { get; }

    /// <summary>The authenticated roles.</summary>
    public FluxRole Roles { get; }

    /// <summary>Whether the connection is trusted to carry credentials other than its own (owner).</summary>
    public bool IsOwner => (Roles & FluxRole.Owner) != 0;

    /// <summary>Whether this is a client rather than trusted code in the broker.</summary>
    public bool IsClient => Delivered is not null;

    /// <summary>Services this client sent requests to; told <c>SERVICE.disconnect</c> when it goes away (null: not a client).</summary>
    internal HashSet<string>? ServicesUsed { get; }

    /// <summary>The requests delivered to this client that await its answer (null: not a client, nothing tracked).</summary>
    internal DeliveredRequests? Delivered { get; }

    /// <summary>Message counters by type, as flux-core's msgcounters.</summary>
    public MessageCounters Counters { get; } = new();

    /// <summary>Milliseconds since this connection last sent a message.</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Volatile.Read(ref _lastActivity);

    /// <summary>Hands a message to this connection (queues it).</summary>
    public abstract void Deliver(Message message);

    /// <summary>Records that the connection sent a message now.</summary>
    internal void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>Whether an event topic matches one of this connection's subscriptions (plain prefix match).</summary>
    internal bool IsSubscribed(string topic)
    {
        foreach (var s in _subscriptions)
        {
            if (topic.StartsWith(s, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    internal bool HasSubscriptions => _subscriptions.Length > 0;

    internal void Subscribe(string prefix)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, prefix];
        }
    }

    internal bool Unsubscribe(string prefix)
    {
        lock (_lock)
        {
            var i = Array.IndexOf(_subscriptions, prefix);
            if (i < 0)
            {
                return false;
            }
            var list = _subscriptions.ToList();
            list.RemoveAt(i);
            _subscriptions = [.. list];
            return true;
        }
    }
}
