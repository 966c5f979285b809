// One run of an RFC 29 hostlist: prefix plus a numeric range, or a single literal host name.
using System.Globalization;

namespace Flux.Formats;

// Mirrors flux-core's struct hostrange: a "single" range is one host whose whole name is Prefix;
// otherwise the hosts are Prefix + each number Lo..Hi, zero padded to Width digits.
internal readonly record struct HostRange(string Prefix, ulong Lo, ulong Hi, int Width, bool Single)
{
    public ulong Count => Single ? 1 : Hi - Lo + 1;

    public bool IsPadded => !Single && Width > Digits(Lo);

    public static HostRange Literal(string name) => new(name, 0, 0, 0, true);

    public string Host(ulong depth) => Single ? Prefix : Prefix + Number(Lo + depth, Width);

    public static string Number(ulong n, int width)
    {
        var s = n.ToString(CultureInfo.InvariantCulture);
        return s.Length >= width ? s : s.PadLeft(width, '0');
    }

    public static int Digits(ulong n)
    {
        var d = 1;
        while ((n /= 10) != 0)
        {
            d++;
        }
        return d;
    }

    // flux-core's width_equiv(): true when numbers n (width wn) and m (width wm) can share a range.
    // It may adopt one width for the other; that never changes how either number prints.
    public static bool WidthEquiv(ulong n, ref int wn, ulong m, ref int wm)
    {
        int npad = ZeroPadded(n, wn), nmpad = ZeroPadded(n, wm);
        int mpad = ZeroPadded(m, wm), mnpad = ZeroPadded(m, wn);
        if (npad != nmpad && mpad != mnpad)
        {
            return false;
        }
        if (npad != nmpad)
        {
            wm = wn;
        }
        else
        {
            wn = wm;
        }
        return true;
    }

    private static int ZeroPadded(ulong num, int width)
    {
        var n = Digits(num);
        return width > n ? width - n : 0;
    }

    // flux-core's hostrange_prefix_cmp(): ordinal prefix order, then a literal host before a range.
    public static int PrefixCompare(in HostRange a, in HostRange b)
    {
        var c = string.CompareOrdinal(a.Prefix, b.Prefix);
        if (c != 0)
        {
            return c;
        }
        return (b.Single ? 1 : 0) - (a.Single ? 1 : 0);
    }

    // flux-core's hostrange_cmp(), used by sort and uniq.
    public static int Compare(in HostRange a, in HostRange b)
    {
        var c = PrefixCompare(a, b);
        if (c != 0)
        {
            return c;
        }
        if (a.Single)
        {
            return 0;
        }
        int wa = a.Width, wb = b.Width;
        return WidthEquiv(a.Lo, ref wa, b.Lo, ref wb) ? a.Lo.CompareTo(b.Lo) : a.Width.CompareTo(b.Width);
    }
}
