// The loop:// connector: an in-process connection to a broker in the same process (tests).
using System.Collections.Concurrent;
using System.Globalization;
using System.Web;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Core.Broker;

namespace Flux.Core.Connectors;

/// <summary>
/// Opens <c>loop://NAME</c>: a direct router connection to the broker registered under NAME in this
/// process, with no socket. <c>?userid=N</c> attaches as guest N (roles USER|LOCAL) to test access
/// rules; otherwise the connection is the owner's. Registering a broker registers the scheme with
/// <see cref="FluxConnect"/>, so the scheme exists only in a process that runs a broker.
/// </summary>
public sealed class LoopConnector : IConnector
{
    private static readonly ConcurrentDictionary<string, Broker.Broker> Brokers = new(StringComparer.Ordinal);
    private static readonly LoopConnector Instance = new();
    private static int _next;

    /// <summary>Makes a broker reachable as <c>loop://NAME</c> from this process's clients.</summary>
    public static void Register(string name, Broker.Broker broker)
    {
        if (!Brokers.TryAdd(name, broker))
        {
            throw new FluxException(Errno.EEXIST, $"loop://{name} is already registered");
        }
        FluxConnect.Register("loop", Instance);
    }

    /// <summary>Removes a registration.</summary>
    public static void Unregister(string name) => Brokers.TryRemove(name, out _);

    /// <inheritdoc />
    public ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var name = uri.Host.Length > 0 ? uri.Host : uri.AbsolutePath.Trim('/');
        if (!Brokers.TryGetValue(name, out var broker))
        {
            throw new FluxException(Errno.ENOENT, $"loop://{name}: no such in-process broker");
        }
        var query = HttpUtility.ParseQueryString(uri.Query);
        var uid = broker.OwnerUid;
        var roles = FluxRole.Owner | FluxRole.Local;
        if (query["userid"] is { } u)
        {
            uid = uint.Parse(u, CultureInfo.InvariantCulture);
            if (uid != broker.OwnerUid)
            {
                roles = FluxRole.User | FluxRole.Local;
            }
        }
        var id = $"loop-{Interlocked.Increment(ref _next)}";
        IMessageChannel ch = new RouterChannel(broker.Router, id, uid, roles, client: true);
        return ValueTask.FromResult(ch);
    }
}
