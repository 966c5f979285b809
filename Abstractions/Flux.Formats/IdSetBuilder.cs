// Accumulates ids in any order and produces an immutable RFC 22 IdSet.
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Collects ids or id ranges in any order, with duplicates allowed, and builds an <see cref="IdSet"/>.
/// Appending in ascending order is the fast path (amortised O(1) per call); anything else is sorted
/// once by <see cref="Build"/>. A builder is not thread safe and may be reused after <see cref="Build"/>.
/// </summary>
public sealed class IdSetBuilder
{
    private readonly List<(uint First, uint Last)> _ranges = [];
    private bool _sorted = true;

    /// <summary>Adds one id. Throws <see cref="FluxException"/> (ERANGE) above <see cref="IdSet.MaxId"/>.</summary>
    public IdSetBuilder Add(uint id) => AddRange(id, id);

    /// <summary>
    /// Adds every id from <paramref name="first"/> to <paramref name="last"/> inclusive.
    /// Throws <see cref="FluxException"/> with EINVAL when <paramref name="last"/> is below
    /// <paramref name="first"/>, or ERANGE when <paramref name="last"/> exceeds <see cref="IdSet.MaxId"/>.
    /// </summary>
    public IdSetBuilder AddRange(uint first, uint last)
    {
        if (last < first)
        {
            throw new FluxException(Errno.EINVAL, $"idset range {first}-{last} is descending");
        }
        if (last > IdSet.MaxId)
        {
            throw new FluxException(Errno.ERANGE, $"idset id {last} exceeds the maximum {IdSet.MaxId}");
        }
        if (_ranges.Count > 0)
        {
            var (pf, pl) = _ranges[^1];
            if (first >= pf && (ulong)first <= (ulong)pl + 1)
            {
                // Overlaps or touches the previous range: extend it in place, keeping order.
                _ranges[^1] = (pf, Math.Max(pl, last));
                return this;
            }
            if (first < pf)
            {
                _sorted = false;
            }
        }
        _ranges.Add((first, last));
        return this;
    }

    /// <summary>Adds every id of <paramref name="ids"/>.</summary>
    public IdSetBuilder AddRange(IEnumerable<uint> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids is IdSet set)
        {
            foreach (var (first, last) in set.Ranges)
            {
                AddRange(first, last);
            }
            return this;
        }
        foreach (var id in ids)
        {
            Add(id);
        }
        return this;
    }

    /// <summary>Returns an idset holding every id added so far. The builder keeps its contents.</summary>
    public IdSet Build()
    {
        if (!_sorted)
        {
            _ranges.Sort(static (a, b) => a.First.CompareTo(b.First));
            _sorted = true;
        }
        var bounds = new List<uint>(_ranges.Count * 2);
        foreach (var (first, last) in _ranges)
        {
            if (bounds.Count > 0 && (ulong)first <= (ulong)bounds[^1] + 1)
            {
                bounds[^1] = Math.Max(bounds[^1], last);
                continue;
            }
            bounds.Add(first);
            bounds.Add(last);
        }
        return IdSet.FromSortedBounds([.. bounds]);
    }
}
