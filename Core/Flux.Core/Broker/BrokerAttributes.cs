// Broker attributes (flux getattr/setattr/lsattr): name, value, and whether they may change.
using System.Collections.Concurrent;
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// The broker's attribute table. Immutable attributes (rank, size, rundir, ...) are fixed once the
/// broker starts and may be cached by clients; the others may be set by the owner.
/// </summary>
public sealed class BrokerAttributes
{
    /// <summary>Flag of an attribute that never changes after start-up.</summary>
    public const int Immutable = 1;

    private readonly ConcurrentDictionary<string, (string? Value, int Flags)> _attrs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<string>> _setters = new(StringComparer.Ordinal);

    /// <summary>Defines or replaces an attribute.</summary>
    public void Set(string name, string? value, int flags = 0) => _attrs[name] = (value, flags);

    /// <summary>Registers a callback that validates and applies a writable attribute (throws to refuse).</summary>
    public void OnSet(string name, Action<string> apply) => _setters[name] = apply;

    /// <summary>Gets an attribute, or null when it is not set.</summary>
    public (string? Value, int Flags)? Get(string name) => _attrs.TryGetValue(name, out var v) ? v : null;

    /// <summary>Sets an attribute from a client: EPERM for an immutable one.</summary>
    public void SetFromClient(string name, string value)
    {
        if (_attrs.TryGetValue(name, out var cur) && (cur.Flags & Immutable) != 0)
        {
            throw new FluxException(Errno.EPERM, $"attribute '{name}' cannot be changed");
        }
        if (_setters.TryGetValue(name, out var apply))
        {
            apply(value);
        }
        _attrs[name] = (value, 0);
    }

    /// <summary>Removes a writable attribute.</summary>
    public void Remove(string name)
    {
        if (!_attrs.TryGetValue(name, out var cur))
        {
            throw new FluxException(Errno.ENOENT, $"attribute '{name}' is not set");
        }
        if ((cur.Flags & Immutable) != 0)
        {
            throw new FluxException(Errno.EPERM, $"attribute '{name}' cannot be removed");
        }
        _attrs.TryRemove(name, out _);
    }

    /// <summary>All attribute names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _attrs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The immutable attributes, for seeding handle caches.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ImmutableAttributes =>
        _attrs.Where(kv => (kv.Value.Flags & Immutable) != 0).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.Value));
}
