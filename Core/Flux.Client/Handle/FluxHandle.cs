// The IFlux implementation shared by modules (on their actor loop) and clients (over a connector).
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Client.Handle;

/// <summary>
/// A handle over a message channel. Responses are matched to pending requests by matchtag (RFC 6);
/// requests and events go to registered handlers. With an <see cref="ActorContext"/> (a module),
/// everything received runs on that loop; a client handle completes requests on its reader and runs
/// handlers on a loop of its own, created when the first handler is registered.
/// </summary>
public sealed partial class FluxHandle : IFlux
{
    private readonly IMessageChannel _channel;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, Pending> _pending = [];
    private readonly Dictionary<string, string?> _attrCache = new(StringComparer.Ordinal);
    private ActorContext? _actor;
    private readonly bool _ownsActor;
    private HandlerEntry[] _handlers = [];
    private uint _nextTag;
    private int _queued;
    private Exception? _closedError;
    private bool _closed;

    /// <summary>Creates a handle; call <see cref="Start"/> to begin receiving.</summary>
    public FluxHandle(IMessageChannel channel, string? name, ActorContext? actor, uint rank, uint size, FluxConfig? config = null)
    {
        _channel = channel;
        _actor = actor;
        _ownsActor = false;
        Name = name;
        Rank = rank;
        Size = size;
        Config = config ?? FluxConfig.Empty;
        Logger = new BrokerLogger(this, name ?? "client");
    }

    private FluxHandle(IMessageChannel channel) : this(channel, null, null, 0, 1)
    {
        _ownsActor = true;
    }

    /// <summary>
    /// Whether the code awaiting a response of a client handle continues on the thread that read the
    /// response (the socket engine's thread, with <see cref="Connectors.InlineSocketCompletions"/>)
    /// instead of on a thread-pool worker, which must be woken first: one wake-up per response
    /// instead of two. Only for a client whose code after each await never blocks waiting for
    /// another response, which this thread could then not read. False by default; flux ping sets it
    /// (its loop only awaits). A handle with an actor always continues on the actor.
    /// </summary>
    public bool InlineContinuations { get; set; }

    /// <summary>Creates and starts a client handle over a channel, reading rank and size from the broker.</summary>
    public static async Task<FluxHandle> OpenClientAsync(IMessageChannel channel, CancellationToken cancellationToken = default)
    {
        var h = new FluxHandle(channel);
        h.Start();
        // Both in flight at once: a client pays one round trip, not two, before its first request.
        var rankTask = h.GetAttrAsync("rank", cancellationToken);
        var sizeTask = h.GetAttrAsync("size", cancellationToken);
        var rank = await rankTask.ConfigureAwait(false);
        var size = await sizeTask.ConfigureAwait(false);
        h.Rank = uint.TryParse(rank, out var r) ? r : 0;
        h.Size = uint.TryParse(size, out var s) ? s : 1;
        return h;
    }

    /// <inheritdoc />
    public uint Rank { get; private set; }

    /// <inheritdoc />
    public uint Size { get; private set; }

    /// <inheritdoc />
    public string? Name { get; }

    /// <inheritdoc />
    public FluxConfig Config { get; internal set; }

    /// <inheritdoc />
    public ILogger Logger { get; }

    /// <summary>
    /// Messages received that wait for the handle's loop to take them up: requests, events, and
    /// responses no RPC of this handle waits for (a response to one of its RPCs completes the RPC
    /// as it arrives). A module's count is flux-core's <c>sendqueue</c> in <c>module.list</c>: what
    /// the broker has sent the module and the module has not read yet. Always 0 without a loop.
    /// </summary>
    public int QueuedMessages => Volatile.Read(ref _queued);

    /// <summary>Raised (on the receiving thread) when the channel closes.</summary>
    public event Action<Exception?>? Closed;

    /// <summary>Begins receiving messages.</summary>
    public void Start() => _channel.Start(OnReceive, OnClosed);

    /// <inheritdoc />
    public async ValueTask<string?> GetAttrAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_attrCache.TryGetValue(name, out var cached))
            {
                return cached;
            }
        }
        JsonObject? resp;
        try
        {
            resp = await RpcAsync("attr.get", new JsonObject { ["name"] = name }, NodeId.Any, cancellationToken).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            return null;
        }
        var value = resp?["value"]?.GetValue<string>();
        if (resp?["flags"]?.GetValue<int>() is int f && (f & 1) != 0)
        {
            lock (_lock)
            {
                _attrCache[name] = value;
            }
        }
        return value;
    }

    /// <summary>Seeds the attribute cache (the broker does this for modules at load).</summary>
    internal void CacheAttr(string name, string? value)
    {
        lock (_lock)
        {
            _attrCache[name] = value;
        }
    }

    /// <inheritdoc />
    public async Task<Message> RequestAsync(Message request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            throw new ArgumentException("a NORESPONSE request has no response; use Send", nameof(request));
        }
        var pending = new Pending(streaming: false, async: _actor is null && !InlineContinuations);
        var tag = Register(pending, request);
        using var reg = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(() => Abandon(tag, pending, cancellationToken))
            : default;
        _channel.Send(request);
        var response = await pending.Response!.Task.ConfigureAwait(_actor is not null);
        if (response.Errnum != 0)
        {
            throw ResponseError(response);
        }
        return response;
    }

    /// <inheritdoc />
    public async Task<JsonObject?> RpcAsync(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(Message.Request(topic, payload, nodeId), cancellationToken).ConfigureAwait(_actor is not null);
        return response.GetJsonOrNull();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Message> StreamAsync(Message request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Flags |= MessageFlags.Streaming;
        var pending = new Pending(streaming: true, async: _actor is null);
        var tag = Register(pending, request);
        try
        {
            _channel.Send(request);
            var reader = pending.Stream!.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(_actor is not null))
            {
                while (reader.TryRead(out var msg))
                {
                    if (msg.Errnum == Errno.ENODATA)
                    {
                        yield break;
                    }
                    if (msg.Errnum != 0)
                    {
                        throw ResponseError(msg);
                    }
                    yield return msg;
                }
            }
            throw _closedError is { } e ? new FluxException(Errno.ECONNRESET, $"connection to broker lost: {e.Message}", e) : new FluxException(Errno.ECONNRESET, "connection to broker lost");
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove(tag);
            }
        }
    }

    /// <inheritdoc />
    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _channel.Send(message);
    }

    /// <inheritdoc />
    public async Task<uint> PublishAsync(string topic, JsonNode? payload = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        var req = new JsonObject { ["topic"] = topic, ["flags"] = (int)flags };
        if (payload is not null)
        {
            var tmp = new Message(MessageType.Event);
            tmp.SetJson(payload);
            req["payload"] = Convert.ToBase64String(tmp.Payload.Span);
        }
        var resp = await RpcAsync("event.publish", req, NodeId.Any, cancellationToken).ConfigureAwait(_actor is not null);
        return resp?["seq"]?.GetValue<uint>() ?? 0;
    }

    /// <inheritdoc />
    public Task SubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default)
        => BrokerServiceCalls.SubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default)
        => BrokerServiceCalls.UnsubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task AddServiceAsync(string service, CancellationToken cancellationToken = default)
        => BrokerServiceCalls.AddServiceAsync(this, service, cancellationToken);

    /// <inheritdoc />
    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default)
        => BrokerServiceCalls.RemoveServiceAsync(this, service, cancellationToken);

    /// <summary>Fails every pending request with ECONNRESET and closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync().ConfigureAwait(false);
        FailAll(new FluxException(Errno.ECONNRESET, "handle closed"));
        if (_ownsActor)
        {
            _actor?.Dispose();
        }
    }

    private uint Register(Pending pending, Message request)
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw new FluxException(Errno.ECONNRESET, _closedError is null ? "connection to broker closed" : $"connection to broker lost: {_closedError.Message}");
            }
            do
            {
                _nextTag++;
            }
            while (_nextTag == NodeId.MatchtagNone || _pending.ContainsKey(_nextTag));
            _pending[_nextTag] = pending;
            request.Matchtag = _nextTag;
            return _nextTag;
        }
    }

    private void Abandon(uint tag, Pending pending, CancellationToken ct)
    {
        lock (_lock)
        {
            _pending.Remove(tag);
        }
        pending.Response?.TrySetCanceled(ct);
    }

    private static FluxException ResponseError(Message response)
    {
        var text = response.HasPayload ? response.GetString() : null;
        return new FluxException(response.Errnum, string.IsNullOrEmpty(text) ? Errno.Describe(response.Errnum) : text);
    }

    private void OnReceive(Message msg)
    {
        if (msg.Type == MessageType.Response)
        {
            // The awaiting code's continuation is posted to the loop from here: it goes before the
            // messages already queued there (ActorContext: answers first).
            bool answered;
            using (ActorContext.Answering(_actor))
            {
                answered = TryCompletePending(msg);
            }
            if (answered)
            {
                return;
            }
        }
        var actor = _actor;
        if (actor is null)
        {
            Dispatch(msg);
        }
        else
        {
            Interlocked.Increment(ref _queued);
            actor.PostMessage(static s =>
            {
                var (h, m) = ((FluxHandle, Message))s!;
                Interlocked.Decrement(ref h._queued);
                h.Dispatch(m);
            }, (this, msg));
        }
    }

    private bool TryCompletePending(Message msg)
    {
        Pending? p;
        lock (_lock)
        {
            if (!_pending.TryGetValue(msg.Matchtag, out p))
            {
                return false;
            }
            if (!p.IsStreaming || msg.Errnum != 0)
            {
                if (!p.IsStreaming)
                {
                    _pending.Remove(msg.Matchtag);
                }
            }
        }
        if (p.IsStreaming)
        {
            p.Stream!.Writer.TryWrite(msg);
            if (msg.Errnum != 0)
            {
                p.Stream.Writer.TryComplete();
            }
        }
        else
        {
            p.Response!.TrySetResult(msg);
        }
        return true;
    }

    private void OnClosed(Exception? error)
    {
        lock (_lock)
        {
            _closed = true;
            _closedError = error;
        }
        FailAll(error is null
            ? new FluxException(Errno.ECONNRESET, "connection to broker closed")
            : new FluxException(Errno.ECONNRESET, $"connection to broker lost: {error.Message}", error));
        Closed?.Invoke(error);
    }

    private void FailAll(FluxException error)
    {
        List<Pending> all;
        lock (_lock)
        {
            _closed = true;
            all = [.. _pending.Values];
            _pending.Clear();
        }
        foreach (var p in all)
        {
            p.Response?.TrySetException(error);
            p.Stream?.Writer.TryComplete(error);
        }
    }

    private sealed class Pending(bool streaming, bool async)
    {
        public bool IsStreaming { get; } = streaming;
        public TaskCompletionSource<Message>? Response { get; } = streaming ? null
            : new(async ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
        public Channel<Message>? Stream { get; } = streaming
            ? Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false })
            : null;
    }
}
