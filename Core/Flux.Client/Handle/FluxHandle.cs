// The IFlux implementation shared by modules (on their actor loop) and clients (over a connector).
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;
using TopicGlob = Flux.Formats.Glob;

namespace Flux.Client.Handle;

/// <summary>
/// A handle over a message channel. Responses are matched to pending requests by matchtag (RFC 6);
/// requests and events go to registered handlers. With an <see cref="ActorContext"/> (a module),
/// everything received runs on that loop; a client handle completes requests on its reader and runs
/// handlers on a loop of its own, created when the first handler is registered.
/// </summary>
public sealed class FluxHandle : IFlux
{
    private readonly IMessageChannel _channel;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, Pending> _pending = [];
    private readonly Dictionary<string, string?> _attrCache = new(StringComparer.Ordinal);
    private ActorContext? _actor;
    private readonly bool _ownsActor;
    private HandlerEntry[] _handlers = [];
    private uint _nextTag;
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
        var pending = new Pending(streaming: false, async: _actor is null);
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
    public void Respond(Message request, JsonNode? payload = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        if (payload is not null)
        {
            r.SetJson(payload);
        }
        _channel.Send(r);
    }

    /// <inheritdoc />
    public void RespondRaw(Message request, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        r.SetPayload(payload);
        _channel.Send(r);
    }

    /// <inheritdoc />
    public void RespondError(Message request, int errnum, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        r.Errnum = errnum == 0 ? Errno.EINVAL : errnum;
        if (!string.IsNullOrEmpty(text))
        {
            r.SetString(text);
        }
        _channel.Send(r);
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
        => RpcAsync("event.subscribe", new JsonObject { ["topic"] = topicPrefix }, NodeId.Any, cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default)
        => RpcAsync("event.unsubscribe", new JsonObject { ["topic"] = topicPrefix }, NodeId.Any, cancellationToken);

    /// <inheritdoc />
    public Task AddServiceAsync(string service, CancellationToken cancellationToken = default)
        => RpcAsync("service.add", new JsonObject { ["service"] = service }, NodeId.Any, cancellationToken);

    /// <inheritdoc />
    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default)
        => RpcAsync("service.remove", new JsonObject { ["service"] = service }, NodeId.Any, cancellationToken);

    /// <inheritdoc />
    public IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner)
    {
        ArgumentNullException.ThrowIfNull(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        var entry = new HandlerEntry(types, topicGlob, TopicGlob.IsGlob(topicGlob), handler, allow);
        lock (_lock)
        {
            if (_actor is null && _ownsActor)
            {
                _actor = new ActorContext("flux-client", ex => Logger.LogError(ex, "client handler failed"));
            }
            _handlers = [.. _handlers, entry];
        }
        return new Registration(this, entry);
    }

    /// <summary>Removes every handler (used when a module unloads, so nothing in the host refers to its code).</summary>
    internal void ClearHandlers()
    {
        lock (_lock)
        {
            _handlers = [];
        }
    }

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
        if (msg.Type == MessageType.Response && TryCompletePending(msg))
        {
            return;
        }
        var actor = _actor;
        if (actor is null)
        {
            Dispatch(msg);
        }
        else
        {
            actor.Post(static s => { var (h, m) = ((FluxHandle, Message))s!; h.Dispatch(m); }, (this, msg));
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

    private void Dispatch(Message msg)
    {
        var handlers = _handlers;
        if (msg.Type == MessageType.Event)
        {
            foreach (var h in handlers)
            {
                if (h.Matches(msg))
                {
                    _ = Invoke(h, msg);
                }
            }
            return;
        }
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            if (handlers[i].Matches(msg))
            {
                _ = Invoke(handlers[i], msg);
                return;
            }
        }
        if (msg.Type == MessageType.Request)
        {
            RespondError(msg, Errno.ENOSYS);
        }
    }

    private async Task Invoke(HandlerEntry h, Message msg)
    {
        try
        {
            if (msg.Type == MessageType.Request
                && (msg.RoleMask & FluxRole.Owner) == 0
                && (msg.RoleMask & h.Allow) == 0)
            {
                RespondError(msg, Errno.EPERM, $"{msg.Topic}: only the instance owner may do this");
                return;
            }
            await h.Handler(msg).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (ex is not FluxException)
            {
                FluxHandleLog.HandlerFailed(Logger, msg.Topic ?? string.Empty, ex.ToString());
            }
            if (msg.Type == MessageType.Request)
            {
                var text = ex is FluxException ? ex.Message : $"{Name ?? "client"}: {ex.GetType().Name}: {ex.Message}";
                RespondError(msg, ErrorMapping.ToErrnum(ex), text);
            }
        }
    }

    /// <inheritdoc />
    public void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(what);
        if (work.IsCompletedSuccessfully)
        {
            return;
        }
        _ = WatchAsync(work, what, request, onFault);
    }

    // Awaited on the handle's loop (a module's continuations run there), so onFault needs no locks.
    private async Task WatchAsync(Task work, string what, Message? request, Action<Exception>? onFault)
    {
        try
        {
            await work.ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (request is null && onFault is null)
        {
            // Background loops end by cancellation when their module stops.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ReportFault(what, ex, request, onFault);
        }
    }

    private void ReportFault(string what, Exception ex, Message? request, Action<Exception>? onFault)
    {
        var name = Name ?? "client";
        FluxHandleLog.BackgroundFailed(Logger, what, ex is FluxException ? ex.Message : ex.ToString());
        if (request is not null && request.Type == MessageType.Request)
        {
            var text = ex is FluxException ? ex.Message : $"{name}: {what}: {ex.GetType().Name}: {ex.Message}";
            RespondError(request, ErrorMapping.ToErrnum(ex), text);
        }
        if (onFault is null)
        {
            return;
        }
        try
        {
            onFault(ex);
        }
        catch (Exception again) when (again is not OutOfMemoryException)
        {
            FluxHandleLog.CleanupFailed(Logger, what, again.ToString());
        }
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

    private void Remove(HandlerEntry entry)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, entry))];
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

    private sealed record HandlerEntry(MessageType Types, string Glob, bool IsGlob, MessageHandler Handler, FluxRole Allow)
    {
        public bool Matches(Message m) =>
            (Types & m.Type) != 0 && m.Topic is { } t && (IsGlob ? TopicGlob.IsMatch(Glob, t) : string.Equals(Glob, t, StringComparison.Ordinal));
    }

    private sealed class Registration(FluxHandle owner, HandlerEntry entry) : IDisposable
    {
        public void Dispose() => owner.Remove(entry);
    }
}
