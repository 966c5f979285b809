// The broker side of local://: accepts unix-socket clients, authenticates them by SO_PEERCRED.
using System.Net.Sockets;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Core.Broker;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Connectors;

/// <summary>
/// Listens on a unix socket. Each accepted peer's uid decides its credential: the instance owner
/// gets (uid, OWNER|LOCAL); another user is refused with EPERM unless guests are allowed
/// (<c>access.allow-guest-user</c>), then gets (uid, USER|LOCAL); root gets OWNER only with
/// <c>access.allow-root-owner</c>. The verdict is the one byte flux-core's connector sends. Limits
/// keep a flood of clients from taking the broker down: beyond <c>broker.max-clients</c> a peer is
/// refused with EAGAIN; a client that stops reading is disconnected once more than
/// <c>broker.client-queue-limit</c> bytes wait for it; running out of descriptors pauses accepting
/// instead of ending it.
/// </summary>
public sealed class LocalListener : IAsyncDisposable
{
    private readonly Router _router;
    private readonly Socket _socket;
    private readonly uint _owner;
    private readonly Func<(bool AllowGuests, bool AllowRootOwner)> _access;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<StreamConnection> _connections = [];
    private readonly Lock _lock = new();
    private readonly int _maxClients;
    private readonly long _queueLimit;
    private int _next;
    private long _lastAcceptErrorLog = -1000;
    private long _lastRefusedLog = -1000;
    private long _refused;

    /// <summary>Binds the socket (removing a stale one) and sets its mode; call <see cref="Start"/> to accept.</summary>
    public LocalListener(string path, Router router, uint owner, Func<(bool AllowGuests, bool AllowRootOwner)> access, ILogger log,
        int maxClients = int.MaxValue, long queueLimit = long.MaxValue)
    {
        Path = path;
        _router = router;
        _owner = owner;
        _access = access;
        _log = log;
        _maxClients = maxClients;
        _queueLimit = queueLimit;
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        // Everyone may reach the socket; the peer-credential check below decides who may stay.
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        _socket.Listen(512);
    }

    /// <summary>The socket path.</summary>
    public string Path { get; }

    /// <summary>Clients attached now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Starts accepting connections.</summary>
    public void Start() => _ = Task.Run(AcceptLoop);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        StreamConnection[] conns;
        lock (_lock)
        {
            conns = [.. _connections];
        }
        foreach (var c in conns)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Already gone with the rundir.
        }
    }

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (_cts.IsCancellationRequested)
                {
                    return;
                }
                // Out of descriptors (EMFILE, ENFILE) or a peer gone before accept: the pending peers
                // wait in the backlog while clients leave and free descriptors.
                if (Environment.TickCount64 - _lastAcceptErrorLog >= 1000)
                {
                    _lastAcceptErrorLog = Environment.TickCount64;
                    BrokerLog.AcceptFailed(_log, ex.Message, Count);
                }
                try
                {
                    await Task.Delay(100, _cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            try
            {
                Admit(client);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                client.Dispose();
            }
        }
    }

    private void Admit(Socket client)
    {
        var (pid, uid, _) = PeerCredentials.Get(client);
        var (allowGuests, allowRootOwner) = _access();
        FluxRole roles;
        if (uid == _owner || (uid == 0 && allowRootOwner))
        {
            roles = FluxRole.Owner | FluxRole.Local;
        }
        else if (allowGuests)
        {
            roles = FluxRole.User | FluxRole.Local;
        }
        else
        {
            BrokerLog.RefusedConnection(_log, uid, pid, _owner);
            client.Send([(byte)Errno.EPERM]);
            client.Dispose();
            return;
        }
        // Only this loop adds connections, so the count cannot grow between the check and the add.
        if (Count >= _maxClients)
        {
            _refused++;
            if (Environment.TickCount64 - _lastRefusedLog >= 1000)
            {
                _lastRefusedLog = Environment.TickCount64;
                BrokerLog.TooManyClients(_log, uid, pid, _maxClients, _refused);
                _refused = 0;
            }
            client.Send([(byte)Errno.EAGAIN]);
            client.Dispose();
            return;
        }
        var id = $"local-{Interlocked.Increment(ref _next)}-{pid}";
        var conn = new StreamConnection(id, uid, roles, client, _router, this);
        lock (_lock)
        {
            _connections.Add(conn);
        }
        client.Send([0]);
        conn.Start();
    }

    internal void Forget(StreamConnection c)
    {
        lock (_lock)
        {
            _connections.Remove(c);
        }
    }

    /// <summary>A client attached over the socket.</summary>
    internal sealed class StreamConnection : BrokerConnection, IAsyncDisposable
    {
        private readonly FramedSocket _framed;
        private readonly Router _router;
        private readonly LocalListener _listener;
        private int _overflowed;

        public StreamConnection(string id, uint uid, FluxRole roles, Socket socket, Router router, LocalListener listener)
            : base(id, uid, roles, client: true)
        {
            _framed = new FramedSocket(socket);
            _router = router;
            _listener = listener;
        }

        public void Start()
        {
            _router.Attach(this);
            _framed.Start(m => _router.Route(this, m), err =>
            {
                if (err is not null)
                {
                    BrokerLog.ConnectionFailed(_listener._log, Id, err.Message);
                }
                _router.Detach(this);
                _listener.Forget(this);
            });
        }

        public override void Deliver(Message message)
        {
            if (_framed.QueuedBytes > _listener._queueLimit)
            {
                Overflow();
                return;
            }
            try
            {
                _framed.Send(message);
            }
            catch (FluxException)
            {
                // The client is gone; its detach is under way.
            }
        }

        public ValueTask DisposeAsync() => _framed.DisposeAsync();

        // A client that does not read its messages: what waits for it is dropped with it. The close
        // runs off the router's thread (it may be delivering an event under the router's lock).
        private void Overflow()
        {
            if (Interlocked.Exchange(ref _overflowed, 1) != 0)
            {
                return;
            }
            BrokerLog.ClientTooSlow(_listener._log, Id, UserId, _framed.QueuedBytes, _listener._queueLimit);
            BackgroundWork.Run(() => _framed.DisposeAsync().AsTask(), _listener._log, $"disconnecting {Id}");
        }
    }
}
