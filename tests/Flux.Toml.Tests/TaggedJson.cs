// Compares toml-test tagged JSON by the suite's own rules (README "How to compare").
using System.Globalization;
using System.Text.Json.Nodes;

namespace Flux.Toml.Tests;

internal static class TaggedJson
{
    /// <summary>Null when equal; otherwise the JSON path of the first difference and what differs.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case JsonObject e when IsScalar(e):
                if (actual is not JsonObject a || !IsScalar(a))
                {
                    return $"{path}: expected a {Str(e, "type")} scalar, got {Show(actual)}";
                }
                return ScalarDifference(e, a, path);
            case JsonObject e:
                if (actual is not JsonObject ao || IsScalar(ao))
                {
                    return $"{path}: expected a table, got {Show(actual)}";
                }
                var ek = e.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                var ak = ao.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                if (!ek.SequenceEqual(ak))
                {
                    return $"{path}: keys [{string.Join(", ", ek)}] expected, got [{string.Join(", ", ak)}]";
                }
                foreach (var (key, value) in e)
                {
                    if (Difference(value, ao[key], $"{path}.{key}") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case JsonArray e:
                if (actual is not JsonArray arr || arr.Count != e.Count)
                {
                    return $"{path}: expected an array of {e.Count}, got {Show(actual)}";
                }
                for (var i = 0; i < e.Count; i++)
                {
                    if (Difference(e[i], arr[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            default:
                return $"{path}: unexpected expected-node {Show(expected)}";
        }
    }

    private static bool IsScalar(JsonObject o) =>
        o.Count == 2 && o["type"] is JsonValue t && t.TryGetValue<string>(out _) && o["value"] is JsonValue v && v.TryGetValue<string>(out _);

    private static string Str(JsonObject o, string key) => o[key]!.GetValue<string>();

    private static string Show(JsonNode? n) => n is null ? "null" : n.ToJsonString();

    private static string? ScalarDifference(JsonObject e, JsonObject a, string path)
    {
        var type = Str(e, "type");
        if (type != Str(a, "type"))
        {
            return $"{path}: type {type} expected, got {Show(a)}";
        }
        var ev = Str(e, "value");
        var av = Str(a, "value");
        var equal = type switch
        {
            "string" or "integer" => ev == av,
            "bool" => string.Equals(ev, av, StringComparison.OrdinalIgnoreCase),
            "float" => FloatEqual(ev, av),
            "datetime" => Instant(ev) == Instant(av),
            _ => NormalizeDateTime(ev) == NormalizeDateTime(av),
        };
        return equal ? null : $"{path}: {type} {ev} expected, got {av}";
    }

    private static bool FloatEqual(string e, string a)
    {
        var x = ParseFloat(e);
        var y = ParseFloat(a);
        return (double.IsNaN(x) && double.IsNaN(y)) || x.Equals(y);
    }

    private static double ParseFloat(string s) => s switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "+nan" or "-nan" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Upper-case T and Z, 'T' for a space separator, fractional seconds truncated (not rounded) to milliseconds.</summary>
    private static string NormalizeDateTime(string s)
    {
        s = s.Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z');
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return s;
        }
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            var secondsEnd = colon + 6;
            return s[..secondsEnd] + ".000" + s[secondsEnd..];
        }
        var end = dot + 1;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }
        var digits = s[(dot + 1)..end];
        digits = digits.Length >= 3 ? digits[..3] : digits.PadRight(3, '0');
        return s[..(dot + 1)] + digits + s[end..];
    }

    private static long Instant(string s) =>
        DateTimeOffset.Parse(NormalizeDateTime(s), CultureInfo.InvariantCulture, DateTimeStyles.None).UtcTicks;
}
