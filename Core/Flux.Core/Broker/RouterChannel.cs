// An in-process connection: a handle's channel whose sends go straight into the router.
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// Connects a <see cref="Handle.FluxHandle"/> in the broker's process (a module, the broker's own
/// services, or a <c>loop://</c> client) to the router without serialization.
/// </summary>
public sealed class RouterChannel : BrokerConnection, IMessageChannel
{
    private readonly Router _router;
    private Action<Message>? _receiver;
    private Action<Exception?>? _closed;
    private int _disposed;

    /// <summary>Creates and attaches a channel with a route identity and credential; <paramref name="client"/> for a <c>loop://</c> client.</summary>
    public RouterChannel(Router router, string id, uint userId, FluxRole roles, bool client = false)
        : base(id, userId, roles, client)
    {
        _router = router;
        router.Attach(this);
    }

    /// <inheritdoc />
    public void Send(Message message)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new FluxException(Errno.ECONNRESET, $"{Id}: connection closed");
        }
        _router.Route(this, message);
    }

    /// <inheritdoc />
    public void Start(Action<Message> receiver, Action<Exception?> closed)
    {
        _receiver = receiver;
        _closed = closed;
    }

    /// <inheritdoc />
    public override void Deliver(Message message)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _receiver?.Invoke(message);
        }
    }

    /// <summary>Detaches from the router; pending requests of the handle fail.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _router.Detach(this);
            _closed?.Invoke(null);
            _receiver = null;
            _closed = null;
        }
        return ValueTask.CompletedTask;
    }
}
