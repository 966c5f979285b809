// An immutable ordered list of host names with the RFC 29 compressed string form.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// An immutable, ordered list of host names (RFC 29 hostlist), possibly with repeats. Internally a
/// list of ranges (prefix, numbers, zero-padding width) like flux-core's, so a 16,384-node list with
/// gaps stays small and <see cref="this[int]"/> is O(log ranges). Operations that change the list
/// return a new instance. <see cref="ToString"/> is flux-core's encoding: only adjacent hosts sharing
/// prefix and width are compressed and order is kept (<c>foo[12,4,1-2]</c>); hosts with a suffix after
/// the number (<c>node[1-3]-ib</c>) are accepted but encoded one by one, as flux-core does.
/// Instances are thread safe.
/// </summary>
public sealed partial class Hostlist : IReadOnlyList<string>, IEquatable<Hostlist>
{
    private readonly HostRange[] _ranges;
    private readonly int[] _starts;
    private int _hash;

    private Hostlist(HostRange[] ranges, int count)
    {
        _ranges = ranges;
        _starts = new int[ranges.Length];
        var n = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            _starts[i] = n;
            n += (int)ranges[i].Count;
        }
        Count = count;
    }

    /// <summary>
    /// Creates a list from individual host names, in order. A name must be non-empty printable ASCII
    /// without whitespace, <c>,</c>, <c>[</c> or <c>]</c>; otherwise EINVAL is thrown.
    /// </summary>
    public Hostlist(IEnumerable<string> hosts)
        : this(FromNames(hosts))
    {
    }

    private Hostlist(Hostlist built)
        : this(built._ranges, built.Count)
    {
    }

    /// <summary>The empty list.</summary>
    public static Hostlist Empty { get; } = new([], 0);

    /// <summary>The number of hosts, repeats included.</summary>
    public int Count { get; }

    /// <summary>True when the list holds no host.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The host at position <paramref name="index"/> (flux-core's hostlist_nth). Throws <see cref="ArgumentOutOfRangeException"/> outside 0..Count-1.</summary>
    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var r = Array.BinarySearch(_starts, index);
            if (r < 0)
            {
                r = ~r - 1;
            }
            return _ranges[r].Host((ulong)(index - _starts[r]));
        }
    }

    /// <summary>
    /// Parses an RFC 29 hostlist: comma separated <c>prefix[idlist]suffix</c> expressions (spaces and
    /// tabs also separate, as in flux-core; empty expressions are skipped). Throws
    /// <see cref="FluxException"/> with EINVAL naming the fault and its position (unbalanced or nested
    /// brackets, empty idlist, bad or descending range, non-printable character), or ERANGE for a range
    /// of 2^20 hosts or more.
    /// </summary>
    public static Hostlist Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var builder = new HostlistBuilder();
        HostlistParser.Parse(s, builder);
        return builder.Build();
    }

    /// <summary>Like <see cref="Parse"/> but returns false (and null) instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Hostlist? hostlist)
    {
        hostlist = null;
        if (s is null)
        {
            return false;
        }
        try
        {
            hostlist = Parse(s);
            return true;
        }
        catch (FluxException)
        {
            return false;
        }
    }

    internal static Hostlist FromRanges(HostRange[] ranges, int count) => count == 0 ? Empty : new Hostlist(ranges, count);

    /// <summary>The position of the first occurrence of <paramref name="host"/>, or -1 (flux-core's hostlist_find).</summary>
    public int IndexOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        for (var i = 0; i < _ranges.Length; i++)
        {
            var depth = Match(_ranges[i], host);
            if (depth >= 0)
            {
                return _starts[i] + (int)depth;
            }
        }
        return -1;
    }

    /// <summary>True when <paramref name="host"/> is in the list.</summary>
    public bool Contains(string host) => IndexOf(host) >= 0;

    /// <summary>Every host name, in order.</summary>
    public IReadOnlyList<string> Expand()
    {
        var names = new string[Count];
        var i = 0;
        foreach (var name in this)
        {
            names[i++] = name;
        }
        return names;
    }

    /// <summary>A new list: this list followed by <paramref name="other"/>.</summary>
    public Hostlist Append(Hostlist other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var builder = new HostlistBuilder();
        foreach (var hr in _ranges)
        {
            builder.Append(hr);
        }
        foreach (var hr in other._ranges)
        {
            builder.Append(hr);
        }
        return builder.Build();
    }

    /// <summary>The RFC 29 encoding as flux-core's hostlist_encode() writes it; the empty list is <c>""</c>.</summary>
    public override string ToString() => HostlistEncoder.Encode(_ranges);

    /// <summary>Enumerates the host names in order.</summary>
    public IEnumerator<string> GetEnumerator()
    {
        foreach (var hr in _ranges)
        {
            for (ulong d = 0; d < hr.Count; d++)
            {
                yield return hr.Host(d);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Lists are equal when they hold the same names in the same order.</summary>
    public bool Equals(Hostlist? other) =>
        other is not null && (ReferenceEquals(this, other) || (Count == other.Count && this.SequenceEqual(other, StringComparer.Ordinal)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Hostlist);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = new HashCode();
            foreach (var name in this)
            {
                h.Add(name, StringComparer.Ordinal);
            }
            _hash = h.ToHashCode() | 1;
        }
        return _hash;
    }

    /// <summary>Value equality; null equals only null.</summary>
    public static bool operator ==(Hostlist? left, Hostlist? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Hostlist? left, Hostlist? right) => !(left == right);

    private static Hostlist FromNames(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var builder = new HostlistBuilder();
        foreach (var name in hosts)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(hosts));
            if (name.Length == 0 || name.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7e) || name.AsSpan().IndexOfAny("[],") >= 0)
            {
                throw new FluxException(Errno.EINVAL, $"invalid host name '{name}'");
            }
            builder.AppendHostName(name);
        }
        return builder.Build();
    }

    // Offset of host within hr, or -1: the host must print exactly as hr prints that member.
    private static long Match(in HostRange hr, string host)
    {
        if (hr.Single)
        {
            return string.Equals(hr.Prefix, host, StringComparison.Ordinal) ? 0 : -1;
        }
        if (!host.StartsWith(hr.Prefix, StringComparison.Ordinal))
        {
            return -1;
        }
        var digits = host.AsSpan(hr.Prefix.Length);
        if (digits.IsEmpty || digits.Length > 19 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return -1;
        }
        var n = ulong.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        if (n < hr.Lo || n > hr.Hi || !digits.SequenceEqual(HostRange.Number(n, hr.Width)))
        {
            return -1;
        }
        return (long)(n - hr.Lo);
    }
}
