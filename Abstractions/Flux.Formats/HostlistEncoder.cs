// Writes host ranges in flux-core's RFC 29 encoding: prefix[a-b,c],other.
using System.Text;

namespace Flux.Formats;

internal static class HostlistEncoder
{
    public static string Encode(HostRange[] ranges)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < ranges.Length)
        {
            var first = ranges[i];
            var end = i + 1;
            if (!first.Single)
            {
                while (end < ranges.Length && SharesBracket(first, ranges[end]))
                {
                    end++;
                }
            }
            var bracket = !first.Single && (first.Count > 1 || end - i > 1);
            sb.Append(first.Prefix);
            if (bracket)
            {
                sb.Append('[');
            }
            for (var k = i; k < end; k++)
            {
                var hr = ranges[k];
                if (hr.Single)
                {
                    continue;
                }
                if (k > i)
                {
                    sb.Append(',');
                }
                sb.Append(HostRange.Number(hr.Lo, hr.Width));
                if (hr.Hi > hr.Lo)
                {
                    sb.Append('-').Append(HostRange.Number(hr.Hi, hr.Width));
                }
            }
            if (bracket)
            {
                sb.Append(']');
            }
            if (end < ranges.Length)
            {
                sb.Append(',');
            }
            i = end;
        }
        return sb.ToString();
    }

    // flux-core's hostrange_within_range(), narrowed so the result decodes back to the same names:
    // RFC 29 gives every unpadded element the zero padding of the idlist's first element, so a range
    // that would print differently under that padding starts a new expression instead.
    private static bool SharesBracket(in HostRange first, in HostRange next)
    {
        if (next.Single || !string.Equals(first.Prefix, next.Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        return !first.IsPadded || next.IsPadded || HostRange.Digits(next.Lo) >= first.Width;
    }
}
