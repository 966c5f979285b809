// Set algebra on RFC 22 idsets: one linear sweep over the range boundaries of both operands.
namespace Flux.Formats;

public sealed partial class IdSet
{
    /// <summary>The ids in this set or in <paramref name="other"/>.</summary>
    public IdSet Union(IdSet other) => Combine<UnionOp>(other);

    /// <summary>The ids in both this set and <paramref name="other"/>.</summary>
    public IdSet Intersect(IdSet other) => Combine<IntersectOp>(other);

    /// <summary>The ids in this set and not in <paramref name="other"/>.</summary>
    public IdSet Subtract(IdSet other) => Combine<SubtractOp>(other);

    /// <summary>The ids in exactly one of this set and <paramref name="other"/>.</summary>
    public IdSet Xor(IdSet other) => Combine<XorOp>(other);

    /// <summary>True when the two sets share at least one id.</summary>
    public bool Overlaps(IdSet other) => !Intersect(other).IsEmpty;

    /// <summary>True when every id of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(IdSet other) => Subtract(other).IsEmpty;

    // One sweep over the boundaries of both sets; TOp decides membership from membership in each.
    // A generic struct operator keeps the per-boundary decision free of delegate calls.
    private IdSet Combine<TOp>(IdSet other)
        where TOp : struct, ISetOp
    {
        ArgumentNullException.ThrowIfNull(other);
        uint[] a = _bounds, b = other._bounds;
        var result = new uint[a.Length + b.Length + 2];
        var n = 0;
        int i = 0, j = 0;
        // Positions are ulong so that "last + 1" of MaxId cannot wrap.
        ulong pos = 0;
        while (i < a.Length || j < b.Length)
        {
            var nextA = i < a.Length ? ((i & 1) == 0 ? a[i] : (ulong)a[i] + 1) : ulong.MaxValue;
            var nextB = j < b.Length ? ((j & 1) == 0 ? b[j] : (ulong)b[j] + 1) : ulong.MaxValue;
            var next = Math.Min(nextA, nextB);
            if (next > pos && TOp.Keep((i & 1) == 1, (j & 1) == 1))
            {
                if (n > 0 && (ulong)result[n - 1] + 1 >= pos)
                {
                    result[n - 1] = (uint)(next - 1);
                }
                else
                {
                    result[n++] = (uint)pos;
                    result[n++] = (uint)(next - 1);
                }
            }
            pos = next;
            if (nextA == next)
            {
                i++;
            }
            if (nextB == next)
            {
                j++;
            }
        }
        return FromSortedBounds(n == result.Length ? result : result[..n]);
    }

    private interface ISetOp
    {
        static abstract bool Keep(bool inThis, bool inOther);
    }

    private readonly struct UnionOp : ISetOp
    {
        public static bool Keep(bool inThis, bool inOther) => inThis || inOther;
    }

    private readonly struct IntersectOp : ISetOp
    {
        public static bool Keep(bool inThis, bool inOther) => inThis && inOther;
    }

    private readonly struct SubtractOp : ISetOp
    {
        public static bool Keep(bool inThis, bool inOther) => inThis && !inOther;
    }

    private readonly struct XorOp : ISetOp
    {
        public static bool Keep(bool inThis, bool inOther) => inThis ^ inOther;
    }
}
