// The shell host's broker connection with flux-shell(1)'s --reconnect: when the broker goes away the
// host keeps its tasks and connects again to the broker that replaces it, bounded in time.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;
using Microsoft.Extensions.Logging;

namespace Flux.ShellHost;

/// <summary>
/// An <see cref="IFlux"/> over the current connection, all of whose handles run on one loop. When the
/// connection closes (the broker died) and reconnection is on, it connects again every
/// <see cref="RetryPeriod"/> (flux-core's shell retries every 2 s) to the URI read from the URI file
/// (each broker's job-exec writes its own there; the rundir, so the socket, changes at each start),
/// else to the URI it started with, until <c>timeout</c> has passed: then <see cref="GaveUp"/> and the
/// host kills its tasks. Once connected it registers again what the old connection had: handlers,
/// services, event subscriptions (as flux-core's shell re-registers its service). Meanwhile requests
/// wait for the new connection; a request in flight when the connection dropped is sent again on the
/// new one, so a commit caught in flight may apply twice (at least once, never lost). Responses and
/// other sends while disconnected are dropped: their requests died with the broker.
/// </summary>
internal sealed class ReconnectingFlux : IFlux
{
    /// <summary>The time between connection attempts.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    private readonly ActorContext _loop;
    private readonly string _uri;
    private readonly string? _uriFile;
    private readonly TimeSpan _timeout;
    private readonly bool _reconnect;
    private readonly List<Handler> _handlers = [];
    private readonly Dictionary<string, Message> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Message> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<FluxHandle, Task> _closedOf = [];
    private FluxHandle _current;
    private FluxHandle? _lost;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopping;
    private bool _gaveUp;

    private ReconnectingFlux(ActorContext loop, FluxHandle first, string uri, string? uriFile, TimeSpan timeout, bool reconnect)
    {
        _loop = loop;
        _current = first;
        _uri = uri;
        _uriFile = uriFile;
        _timeout = timeout;
        _reconnect = reconnect;
        _connected.SetResult();
        Logger = new BrokerLogger(this, "shell");
        Watch(first);
    }

    /// <summary>The connection closed (raised on the loop); reconnection, if on, has begun.</summary>
    public event Action? Lost;

    /// <summary>Connected again, with handlers, services and subscriptions back (raised on the loop).</summary>
    public event Action? Reconnected;

    /// <summary>No broker could be reached in time, or reconnection is off (raised on the loop, once).</summary>
    public event Action<string>? GaveUp;

    /// <summary>Whether the connection is up now.</summary>
    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <inheritdoc />
    public uint Rank { get; private set; }

    /// <inheritdoc />
    public uint Size { get; private set; } = 1;

    /// <inheritdoc />
    public string? Name => "shell";

    /// <inheritdoc />
    public FluxConfig Config => _current.Config;

    /// <inheritdoc />
    public ILogger Logger { get; }

    /// <summary>Connects to <paramref name="uri"/> with every handle's work on <paramref name="loop"/>; call on the loop.</summary>
    public static async Task<ReconnectingFlux> OpenAsync(ActorContext loop, string uri, string? uriFile, TimeSpan timeout, bool reconnect)
    {
        var flux = new ReconnectingFlux(loop, await ConnectAsync(uri, loop).ConfigureAwait(true), uri, uriFile, timeout, reconnect);
        flux.Rank = uint.TryParse(await flux.GetAttrAsync("rank").ConfigureAwait(true), out var r) ? r : 0;
        flux.Size = uint.TryParse(await flux.GetAttrAsync("size").ConfigureAwait(true), out var s) ? s : 1;
        return flux;
    }

    /// <summary>The host is ending: a closed connection is no longer reconnected.</summary>
    public void Stop() => _stopping = true;

    /// <inheritdoc />
    public async ValueTask<string?> GetAttrAsync(string name, CancellationToken cancellationToken = default)
    {
        var h = await CurrentAsync(cancellationToken).ConfigureAwait(true);
        return await h.GetAttrAsync(name, cancellationToken).ConfigureAwait(true);
    }

    /// <inheritdoc />
    public async Task<Message> RequestAsync(Message request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        while (true)
        {
            var h = await CurrentAsync(cancellationToken).ConfigureAwait(true);
            try
            {
                var response = await h.RequestAsync(request, cancellationToken).ConfigureAwait(true);
                Track(request);
                return response;
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ECONNRESET && _reconnect && !_stopping && !_gaveUp)
            {
                // The connection dropped under the request: it goes again on the next connection. An
                // ECONNRESET a service answered, on a connection that stays up, is the caller's.
                if (!await HasClosedAsync(h).ConfigureAwait(true))
                {
                    throw;
                }
                OnClosed(h);
            }
        }
    }

    /// <inheritdoc />
    public async Task<JsonObject?> RpcAsync(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any, CancellationToken cancellationToken = default) =>
        (await RequestAsync(Message.Request(topic, payload, nodeId), cancellationToken).ConfigureAwait(true)).GetJsonOrNull();

    /// <inheritdoc />
    public async IAsyncEnumerable<Message> StreamAsync(Message request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A stream is not carried over a reconnection: it ends with ECONNRESET as its request died.
        var h = await CurrentAsync(cancellationToken).ConfigureAwait(true);
        await foreach (var m in h.StreamAsync(request, cancellationToken).ConfigureAwait(true))
        {
            yield return m;
        }
    }

    /// <inheritdoc />
    public void Send(Message message) => WhileConnected(h => h.Send(message));

    /// <inheritdoc />
    public void Respond(Message request, JsonNode? payload = null) => WhileConnected(h => h.Respond(request, payload));

    /// <inheritdoc />
    public void RespondRaw(Message request, ReadOnlyMemory<byte> payload) => WhileConnected(h => h.RespondRaw(request, payload));

    /// <inheritdoc />
    public void RespondError(Message request, int errnum, string? text = null) => WhileConnected(h => h.RespondError(request, errnum, text));

    /// <inheritdoc />
    public async Task<uint> PublishAsync(string topic, JsonNode? payload = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        var h = await CurrentAsync(cancellationToken).ConfigureAwait(true);
        return await h.PublishAsync(topic, payload, flags, cancellationToken).ConfigureAwait(true);
    }

    /// <inheritdoc />
    public Task SubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.SubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.UnsubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task AddServiceAsync(string service, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.AddServiceAsync(this, service, cancellationToken);

    /// <inheritdoc />
    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.RemoveServiceAsync(this, service, cancellationToken);

    /// <inheritdoc />
    public IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner)
    {
        var entry = new Handler(this, types, topicGlob, handler, allow);
        _handlers.Add(entry);
        entry.Attach(_current);
        return entry;
    }

    /// <inheritdoc />
    public void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null) =>
        _current.Background(work, what, request, onFault);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _stopping = true;
        return _current.DisposeAsync();
    }

    private async Task<FluxHandle> CurrentAsync(CancellationToken cancellationToken)
    {
        await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(true);
        return _current;
    }

    private void WhileConnected(Action<FluxHandle> send)
    {
        if (!IsConnected)
        {
            return;
        }
        try
        {
            send(_current);
        }
        catch (Exception ex) when (ex is FluxException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The connection is going: what was sent belonged to it.
        }
    }

    /// <summary>Services and subscriptions are registered again, with the credentials they were asked with, on a new connection.</summary>
    private void Track(Message request)
    {
        var name = request.Topic switch
        {
            "service.add" or "service.remove" => request.GetJsonOrNull()?["service"]?.GetValue<string>(),
            "event.subscribe" or "event.unsubscribe" => request.GetJsonOrNull()?["topic"]?.GetValue<string>(),
            _ => null,
        };
        if (name is null)
        {
            return;
        }
        switch (request.Topic)
        {
            case "service.add":
                _services[name] = request;
                break;
            case "service.remove":
                _services.Remove(name);
                break;
            case "event.subscribe":
                _subscriptions[name] = request;
                break;
            default:
                _subscriptions.Remove(name);
                break;
        }
    }

    private void Watch(FluxHandle h)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _closedOf[h] = closed.Task;
        h.Closed += _ =>
        {
            closed.TrySetResult();
            _loop.Post(static s => { var (f, h) = ((ReconnectingFlux, FluxHandle))s!; f.OnClosed(h); }, (this, h));
        };
    }

    /// <summary>Whether <paramref name="h"/> has closed, or does so in a moment (its pending requests fail just before it says so).</summary>
    private async Task<bool> HasClosedAsync(FluxHandle h) =>
        _closedOf.TryGetValue(h, out var closed)
        && await Task.WhenAny(closed, Task.Delay(RetryPeriod)).ConfigureAwait(true) == closed;

    /// <summary>On the loop, once per connection: from its Closed event, or first from a request that failed with it.</summary>
    private void OnClosed(FluxHandle h)
    {
        if (h != _current || h == _lost || _stopping || _gaveUp)
        {
            return;
        }
        _lost = h;
        _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reconnect)
        {
            GiveUp("the connection to the broker closed");
            return;
        }
        ShellHostLog.ConnectionLost(Logger, _timeout.TotalSeconds);
        Lost?.Invoke();
        _current.Background(ReconnectAsync(), "reconnecting to the broker", onFault: ex => GiveUp("reconnecting failed: " + ex.Message));
    }

    private async Task ReconnectAsync()
    {
        var deadline = DateTimeOffset.UtcNow + _timeout;
        string? last = null;
        while (!_stopping)
        {
            var uri = CurrentUri();
            FluxHandle? h = null;
            try
            {
                using var attempt = new CancellationTokenSource(RetryPeriod * 5);
                h = await ConnectAsync(uri, _loop, attempt.Token).ConfigureAwait(true);
                Watch(h);
                await RegisterAgainAsync(h).ConfigureAwait(true);
                _closedOf.Remove(_current);
                _current = h;
                _connected.TrySetResult();
                ShellHostLog.Reconnected(Logger, uri);
                Reconnected?.Invoke();
                return;
            }
            catch (Exception ex) when (ex is FluxException or IOException or OperationCanceledException or System.Net.Sockets.SocketException or UriFormatException)
            {
                last = $"{uri}: {ex.Message}";
                if (h is not null)
                {
                    _closedOf.Remove(h);
                    await h.DisposeAsync().ConfigureAwait(true);
                }
            }
            if (DateTimeOffset.UtcNow + RetryPeriod > deadline)
            {
                break;
            }
            await Task.Delay(RetryPeriod).ConfigureAwait(true);
        }
        GiveUp(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"no broker within {_timeout.TotalSeconds}s of losing the connection (last attempt {last ?? "none"})"));
    }

    private async Task RegisterAgainAsync(FluxHandle h)
    {
        foreach (var s in _subscriptions.Values.Concat(_services.Values))
        {
            var again = Message.Request(s.Topic!, s.GetJsonOrNull());
            again.UserId = s.UserId;
            again.RoleMask = s.RoleMask;
            await h.RequestAsync(again).ConfigureAwait(true);
        }
        foreach (var entry in _handlers)
        {
            entry.Attach(h);
        }
    }

    private string CurrentUri()
    {
        if (_uriFile is not null)
        {
            try
            {
                if (File.ReadAllText(_uriFile).Trim() is { Length: > 0 } recorded)
                {
                    return recorded;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not written yet by the new broker: try the URI the host started with.
            }
        }
        return _uri;
    }

    private void GiveUp(string why)
    {
        if (_gaveUp)
        {
            return;
        }
        _gaveUp = true;
        _connected.TrySetException(new FluxException(Errno.ECONNRESET, "connection to broker lost: " + why));
        _connected.Task.Exception?.Handle(_ => true);
        GaveUp?.Invoke(why);
    }

    private static async Task<FluxHandle> ConnectAsync(string uri, ActorContext loop, CancellationToken ct = default)
    {
        var channel = await FluxConnect.Connector.ConnectAsync(new Uri(uri), ct).ConfigureAwait(true);
        var h = new FluxHandle(channel, "shell", loop, 0, 1);
        h.Start();
        return h;
    }

    /// <summary>A handler registered on the current connection and again on each new one.</summary>
    private sealed class Handler(ReconnectingFlux owner, MessageType types, string glob, MessageHandler handler, FluxRole allow) : IDisposable
    {
        private IDisposable? _registration;

        public void Attach(FluxHandle h) => _registration = h.RegisterHandler(types, glob, handler, allow);

        public void Dispose()
        {
            owner._handlers.Remove(this);
            _registration?.Dispose();
        }
    }
}
