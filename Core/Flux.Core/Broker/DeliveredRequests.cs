// The requests the router handed to one client connection that still await its answer: the only
// responses that client may send (issue 13: a guest must not forge replies).
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// Per client connection, the (route stack, matchtag) of each request delivered to it and not yet
/// answered. A response from the client passes only if it names one of them; the entry ends with
/// the first response of a plain request, or with the error response that ends a stream (RFC 6).
/// The key is the whole route stack the request carried, so a guest that guesses a route name
/// (<c>job-manager</c>, <c>local-N-PID</c>) and a small matchtag reaches nothing: it can answer
/// only what it was asked. Thread-safe: the router adds on the requester's thread and completes on
/// the client's.
/// </summary>
internal sealed class DeliveredRequests
{
    /// <summary>
    /// Unanswered requests one client may hold: beyond it, a request to the client's service fails
    /// with EAGAIN instead of growing the broker for a client that never answers (about 100 bytes
    /// an entry, so a few hundred KiB per client at most).
    /// </summary>
    public const int Capacity = 4096;

    private static readonly long LogInterval = TimeSpan.FromSeconds(1).Ticks;
    private readonly Dictionary<Key, bool> _pending = new(KeyComparer.Instance);
    private readonly Lock _lock = new();
    private long _dropped;
    private long _lastLog = long.MinValue;

    /// <summary>Unanswered requests.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Records a request about to be delivered; false when the client holds <see cref="Capacity"/> already.</summary>
    public bool TryAdd(Message request)
    {
        var key = new Key([.. request.Routes ?? []], request.Matchtag);
        lock (_lock)
        {
            if (_pending.Count >= Capacity)
            {
                return false;
            }
            _pending[key] = request.IsStreaming;
            return true;
        }
    }

    /// <summary>
    /// Whether a response from the client answers a request it was handed; the entry is removed
    /// when the response ends it (any response to a plain request, an error to a streaming one).
    /// </summary>
    public bool Complete(Message response)
    {
        var key = new Key(response.Routes ?? (IReadOnlyList<string>)[], response.Matchtag);
        lock (_lock)
        {
            if (!_pending.TryGetValue(key, out var streaming))
            {
                return false;
            }
            if (!streaming || response.Errnum != 0)
            {
                _pending.Remove(key);
            }
            return true;
        }
    }

    /// <summary>Forgets the requests whose route passes through a connection that went away.</summary>
    public void Forget(string connectionId)
    {
        lock (_lock)
        {
            foreach (var key in _pending.Keys)
            {
                if (key.Routes.Contains(connectionId, StringComparer.Ordinal))
                {
                    _pending.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// Counts a dropped response; true when it should be logged (the first, then at most one a
    /// second), with the number dropped since the last line.
    /// </summary>
    public bool CountDropped(out long dropped)
    {
        lock (_lock)
        {
            _dropped++;
            var now = DateTime.UtcNow.Ticks;
            if (_lastLog != long.MinValue && now - _lastLog < LogInterval)
            {
                dropped = 0;
                return false;
            }
            _lastLog = now;
            dropped = _dropped;
            _dropped = 0;
            return true;
        }
    }

    private readonly record struct Key(IReadOnlyList<string> Routes, uint Matchtag);

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y)
        {
            if (x.Matchtag != y.Matchtag || x.Routes.Count != y.Routes.Count)
            {
                return false;
            }
            for (var i = 0; i < x.Routes.Count; i++)
            {
                if (!string.Equals(x.Routes[i], y.Routes[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        public int GetHashCode(Key k)
        {
            var h = new HashCode();
            h.Add(k.Matchtag);
            foreach (var r in k.Routes)
            {
                h.Add(r, StringComparer.Ordinal);
            }
            return h.ToHashCode();
        }
    }
}
