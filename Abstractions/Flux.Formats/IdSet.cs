// An immutable set of non-negative ids with the RFC 22 string form, stored as sorted ranges.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// An immutable set of ids in 0..<see cref="MaxId"/>, as described in RFC 22 (idset). It is stored
/// as sorted, disjoint, non-adjacent ranges, so a set such as <c>0-99999</c> costs two numbers and
/// set operations cost O(number of ranges). Enumeration yields ids in ascending order.
/// <see cref="ToString"/> gives the canonical form <c>[0-3,5]</c> (a single id has no brackets).
/// Instances are thread safe.
/// </summary>
public sealed partial class IdSet : IEnumerable<uint>, IEquatable<IdSet>
{
    /// <summary>The largest id a set may hold: INT_MAX, as flux-core's IDSET_MAX_UNIVERSE is INT_MAX+1.</summary>
    public const uint MaxId = int.MaxValue;

    // Pairs of inclusive bounds: [first0, last0, first1, last1, ...], ascending, with gaps between pairs.
    private readonly uint[] _bounds;
    private int _hash;

    private IdSet(uint[] bounds)
    {
        _bounds = bounds;
        long count = 0;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            count += (long)bounds[i + 1] - bounds[i] + 1;
        }
        Count = count;
    }

    /// <summary>Creates a set from ids in any order; duplicates are ignored. Ids above <see cref="MaxId"/> throw ERANGE.</summary>
    public IdSet(IEnumerable<uint> ids)
        : this(new IdSetBuilder().AddRange(ids).Build()._bounds)
    {
    }

    /// <summary>The empty set.</summary>
    public static IdSet Empty { get; } = new([]);

    /// <summary>The number of ids in the set (up to 2^31, hence a long).</summary>
    public long Count { get; }

    /// <summary>True when the set holds no id.</summary>
    public bool IsEmpty => _bounds.Length == 0;

    /// <summary>The set as ascending, disjoint, non-adjacent inclusive ranges.</summary>
    public IEnumerable<(uint First, uint Last)> Ranges
    {
        get
        {
            for (var i = 0; i < _bounds.Length; i += 2)
            {
                yield return (_bounds[i], _bounds[i + 1]);
            }
        }
    }

    /// <summary>The number of ranges in <see cref="Ranges"/>.</summary>
    public int RangeCount => _bounds.Length / 2;

    /// <summary>Creates the set first..last inclusive (EINVAL if descending, ERANGE above <see cref="MaxId"/>).</summary>
    public static IdSet FromRange(uint first, uint last) => new IdSetBuilder().AddRange(first, last).Build();

    /// <summary>
    /// Parses an RFC 22 idset string strictly: ascending unique decimal ids without leading zeros,
    /// runs written <c>a-b</c> with b &gt; a, optionally wrapped in one pair of brackets; <c>""</c> and
    /// <c>"[]"</c> are empty. Throws <see cref="FluxException"/> with EINVAL naming the bad element and
    /// its position, or ERANGE for an id above <see cref="MaxId"/>.
    /// </summary>
    public static IdSet Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return FromSortedBounds(IdSetParser.Parse(s));
    }

    /// <summary>Like <see cref="Parse"/> but returns false (and null) instead of throwing on bad input.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out IdSet? set)
    {
        set = null;
        if (s is null)
        {
            return false;
        }
        try
        {
            set = Parse(s);
            return true;
        }
        catch (FluxException)
        {
            return false;
        }
    }

    internal static IdSet FromSortedBounds(uint[] bounds) => bounds.Length == 0 ? Empty : new IdSet(bounds);

    /// <summary>True when <paramref name="id"/> is in the set. O(log ranges).</summary>
    public bool Contains(uint id)
    {
        var i = FindRange(id);
        return i >= 0 && id <= _bounds[i + 1];
    }

    /// <summary>The smallest id, or null when the set is empty.</summary>
    public uint? First() => _bounds.Length == 0 ? null : _bounds[0];

    /// <summary>The largest id, or null when the set is empty.</summary>
    public uint? Last() => _bounds.Length == 0 ? null : _bounds[^1];

    /// <summary>The smallest id greater than <paramref name="after"/>, or null when there is none. O(log ranges).</summary>
    public uint? Next(uint after)
    {
        if (after == uint.MaxValue)
        {
            return null;
        }
        var id = after + 1;
        var i = FindRange(id);
        if (i >= 0 && id <= _bounds[i + 1])
        {
            return id;
        }
        var nextFirst = i + 2;
        return nextFirst < _bounds.Length ? _bounds[nextFirst] : null;
    }

    /// <summary>
    /// Encodes the set as RFC 22 text. <see cref="IdSetFormat.None"/> lists every id,
    /// <see cref="IdSetFormat.Range"/> writes runs as <c>a-b</c>, and <see cref="IdSetFormat.Brackets"/>
    /// adds brackets when the set holds more than one id. The empty set is <c>""</c>.
    /// </summary>
    public string Encode(IdSetFormat format)
    {
        if (_bounds.Length == 0)
        {
            return "";
        }
        var brackets = (format & IdSetFormat.Brackets) != 0 && Count > 1;
        var ranges = (format & IdSetFormat.Range) != 0;
        // Size the string exactly first, then write digits straight into it.
        long length = brackets ? 2 : 0;
        for (var i = 0; i < _bounds.Length; i += 2)
        {
            uint first = _bounds[i], last = _bounds[i + 1];
            if (ranges)
            {
                length += Digits(first) + (last > first ? 1 + Digits(last) : 0) + 1;
                continue;
            }
            for (var id = first; ; id++)
            {
                length += Digits(id) + 1;
                if (id == last)
                {
                    break;
                }
            }
        }
        length--;
        if (length > int.MaxValue)
        {
            throw new FluxException(Errno.EOVERFLOW, $"idset encoding of {Count} ids exceeds the maximum string length");
        }
        return string.Create((int)length, (this, brackets, ranges), static (span, state) =>
        {
            var (set, brackets, ranges) = state;
            var bounds = set._bounds;
            var pos = 0;
            if (brackets)
            {
                span[pos++] = '[';
            }
            for (var i = 0; i < bounds.Length; i += 2)
            {
                uint first = bounds[i], last = bounds[i + 1];
                if (i > 0)
                {
                    span[pos++] = ',';
                }
                if (ranges)
                {
                    pos += Write(span[pos..], first);
                    if (last > first)
                    {
                        span[pos++] = '-';
                        pos += Write(span[pos..], last);
                    }
                    continue;
                }
                for (var id = first; ; id++)
                {
                    pos += Write(span[pos..], id);
                    if (id == last)
                    {
                        break;
                    }
                    span[pos++] = ',';
                }
            }
            if (brackets)
            {
                span[pos] = ']';
            }
        });
    }

    private static int Digits(uint n) => n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5
        : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;

    private static int Write(Span<char> span, uint id)
    {
        id.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        return n;
    }

    /// <summary>The canonical RFC 22 form: <c>Encode(Range | Brackets)</c>, e.g. <c>[0-3,5]</c> or <c>5</c>.</summary>
    public override string ToString() => Encode(IdSetFormat.Range | IdSetFormat.Brackets);

    /// <summary>Enumerates the ids in ascending order.</summary>
    public IEnumerator<uint> GetEnumerator()
    {
        for (var i = 0; i < _bounds.Length; i += 2)
        {
            for (var id = _bounds[i]; ; id++)
            {
                yield return id;
                if (id == _bounds[i + 1])
                {
                    break;
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sets are equal when they hold the same ids.</summary>
    public bool Equals(IdSet? other) =>
        other is not null && (ReferenceEquals(this, other) || _bounds.AsSpan().SequenceEqual(other._bounds));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IdSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = new HashCode();
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_bounds.AsSpan()));
            _hash = h.ToHashCode() | 1;
        }
        return _hash;
    }

    /// <summary>Value equality; null equals only null.</summary>
    public static bool operator ==(IdSet? left, IdSet? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(IdSet? left, IdSet? right) => !(left == right);

    // Index (even) of the range whose first bound is the greatest one <= id, or -2 when none is.
    private int FindRange(uint id)
    {
        int lo = 0, hi = (_bounds.Length / 2) - 1;
        var found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_bounds[mid * 2] <= id)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found * 2;
    }
}
