// Strict decoder for RFC 22 idset strings, with flux-core's idset_decode_ex() error texts.
using Flux.Abstractions;

namespace Flux.Formats;

internal static class IdSetParser
{
    // Returns ascending inclusive bounds with adjacent runs merged; one pass over the text.
    public static uint[] Parse(string s)
    {
        var body = s.AsSpan();
        var offset = 0;
        if (body.Length >= 2 && body[0] == '[' && body[^1] == ']')
        {
            body = body[1..^1];
            offset = 1;
        }
        var bracket = body.IndexOfAny('[', ']');
        if (bracket >= 0)
        {
            throw Invalid(s, $"mismatched or nested brackets at position {offset + bracket}");
        }
        if (body.IsEmpty)
        {
            return [];
        }
        if (body[0] == ',')
        {
            throw Invalid(s, $"empty element at position {offset}");
        }
        var bounds = new uint[Math.Min(64, body.Length + 1)];
        var n = 0;
        long previous = -1;
        var i = 0;
        while (true)
        {
            var start = i;
            var lo = ReadId(body, ref i, out var loDigits);
            var hi = lo;
            var hiDigits = 1;
            var dash = i < body.Length && body[i] == '-';
            if (dash)
            {
                i++;
                hi = ReadId(body, ref i, out hiDigits);
            }
            if (loDigits == 0 || hiDigits == 0 || (i < body.Length && body[i] != ','))
            {
                throw Invalid(s, $"error parsing range '{Element(body, start)}' at position {offset + start}");
            }
            if (IsPadded(body, start, loDigits) || (dash && IsPadded(body, start + loDigits + 1, hiDigits)))
            {
                throw Invalid(s, $"range '{Element(body, start)}' at position {offset + start} has a leading zero");
            }
            if (lo > IdSet.MaxId || hi > IdSet.MaxId)
            {
                throw new FluxException(Errno.ERANGE,
                    $"idset '{s}': id in '{Element(body, start)}' at position {offset + start} exceeds the maximum {IdSet.MaxId}");
            }
            if (dash && hi <= lo)
            {
                throw Invalid(s, $"range '{Element(body, start)}' at position {offset + start} does not ascend");
            }
            if ((long)lo <= previous)
            {
                throw Invalid(s, $"range '{Element(body, start)}' at position {offset + start} is out of order");
            }
            if (n > 0 && (long)bounds[n - 1] + 1 == (long)lo)
            {
                bounds[n - 1] = (uint)hi;
            }
            else
            {
                if (n + 2 > bounds.Length)
                {
                    Array.Resize(ref bounds, bounds.Length * 2);
                }
                bounds[n++] = (uint)lo;
                bounds[n++] = (uint)hi;
            }
            previous = (long)hi;
            if (i == body.Length)
            {
                break;
            }
            i++;
            if (i == body.Length || body[i] == ',')
            {
                throw Invalid(s, $"empty element at position {offset + i}");
            }
        }
        return n == bounds.Length ? bounds : bounds[..n];
    }

    // Decimal digits at i; the value saturates above MaxId so overlong numbers cannot wrap.
    private static ulong ReadId(ReadOnlySpan<char> body, ref int i, out int digits)
    {
        ulong value = 0;
        var start = i;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            if (value <= IdSet.MaxId)
            {
                value = (value * 10) + (ulong)(body[i] - '0');
            }
            i++;
        }
        digits = i - start;
        return value;
    }

    private static bool IsPadded(ReadOnlySpan<char> body, int start, int digits) => digits > 1 && body[start] == '0';

    private static string Element(ReadOnlySpan<char> body, int start)
    {
        var rest = body[start..];
        var comma = rest.IndexOf(',');
        return (comma < 0 ? rest : rest[..comma]).ToString();
    }

    private static FluxException Invalid(string s, string detail) => new(Errno.EINVAL, $"idset '{s}': {detail}");
}
