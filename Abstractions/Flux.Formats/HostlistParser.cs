// Decoder for RFC 29 hostlist strings such as "foo[1-3,7]-ib,bar".
using Flux.Abstractions;

namespace Flux.Formats;

internal static class HostlistParser
{
    // flux-core rejects any single bracketed range of this many hosts or more (RFC 29 digest: 2^20).
    public const ulong MaxRange = 1 << 20;

    public static void Parse(string s, HostlistBuilder builder)
    {
        var depth = 0;
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var c = i < s.Length ? s[i] : ',';
            if (depth == 0 && (c == ',' || c == ' ' || c == '\t'))
            {
                // Separators outside brackets end an expression; runs of them are allowed, as in flux-core.
                if (start >= 0)
                {
                    ParseExpression(s, start, i, builder);
                    start = -1;
                }
                continue;
            }
            if (i == s.Length)
            {
                break;
            }
            if (c < 0x21 || c > 0x7e)
            {
                throw Invalid(s, $"character U+{(int)c:X4} at position {i} is not printable ASCII");
            }
            if (start < 0)
            {
                start = i;
            }
            if (c == '[')
            {
                if (++depth > 1)
                {
                    throw Invalid(s, $"nested '[' at position {i}");
                }
            }
            else if (c == ']' && --depth < 0)
            {
                throw Invalid(s, $"unmatched ']' at position {i}");
            }
        }
        if (depth != 0)
        {
            throw Invalid(s, $"unmatched '[' at position {s.LastIndexOf('[')}");
        }
    }

    private static void ParseExpression(string s, int start, int end, HostlistBuilder builder)
    {
        var open = s.IndexOf('[', start, end - start);
        if (open < 0)
        {
            builder.AppendHostName(s[start..end]);
            return;
        }
        var close = s.IndexOf(']', open, end - open);
        var prefix = s[start..open];
        var suffix = s[(close + 1)..end];
        if (suffix.AsSpan().IndexOfAny('[', ']') >= 0)
        {
            throw Invalid(s, $"expression '{s[start..end]}' at position {start} has more than one bracketed idlist");
        }
        var list = s.AsSpan(open + 1, close - open - 1);
        if (list.IsEmpty)
        {
            throw Invalid(s, $"empty idlist '[]' at position {open}");
        }
        var elements = new List<(ulong Lo, ulong Hi, int Width, bool Padded)>();
        var pos = open + 1;
        foreach (var range in list.Split(','))
        {
            var element = list[range];
            elements.Add(ParseElement(s, element, pos + range.Start.Value));
        }
        // RFC 29: leading zeros in the first element set the width of every element written without them.
        var listWidth = elements[0].Padded ? elements[0].Width : 0;
        foreach (var (lo, hi, literalWidth, padded) in elements)
        {
            var width = padded ? literalWidth : Math.Max(literalWidth, listWidth);
            if (suffix.Length == 0)
            {
                builder.Append(new HostRange(prefix, lo, hi, width, false));
                continue;
            }
            // As in flux-core, a host with a suffix is a literal name; it never joins a numeric range.
            for (var n = lo; ; n++)
            {
                builder.Append(HostRange.Literal(prefix + HostRange.Number(n, width) + suffix));
                if (n == hi)
                {
                    break;
                }
            }
        }
    }

    private static (ulong Lo, ulong Hi, int Width, bool Padded) ParseElement(string s, ReadOnlySpan<char> element, int position)
    {
        if (element.IsEmpty)
        {
            throw Invalid(s, $"empty element in idlist at position {position}");
        }
        var dash = element.IndexOf('-');
        var loText = dash < 0 ? element : element[..dash];
        var lo = ParseNumber(s, loText, element, position);
        var hi = dash < 0 ? lo : ParseNumber(s, element[(dash + 1)..], element, position);
        if (hi < lo)
        {
            throw Invalid(s, $"range '{element}' at position {position} is descending");
        }
        if (hi - lo + 1 >= MaxRange)
        {
            throw new FluxException(Errno.ERANGE,
                $"hostlist '{s}': range '{element}' at position {position} has {hi - lo + 1} hosts (limit {MaxRange - 1})");
        }
        return (lo, hi, loText.Length, loText.Length > 1 && loText[0] == '0');
    }

    private static ulong ParseNumber(string s, ReadOnlySpan<char> digits, ReadOnlySpan<char> element, int position)
    {
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            throw Invalid(s, $"invalid range '{element}' at position {position}");
        }
        if (digits.Length > 19)
        {
            throw new FluxException(Errno.ERANGE, $"hostlist '{s}': number in '{element}' at position {position} is too large");
        }
        return ulong.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static FluxException Invalid(string s, string detail) => new(Errno.EINVAL, $"hostlist '{s}': {detail}");
}
