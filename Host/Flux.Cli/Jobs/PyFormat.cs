// Python's str.format() as flux-core's job listing tools use it: format strings, format specs, str() of values.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Cli.Jobs;

/// <summary>
/// The parts of Python's format machinery that <c>flux jobs -o</c> formats rely on, so that flux-core
/// format strings print the same here: <see cref="Parse"/> splits a format string like
/// <c>string.Formatter().parse()</c>, <see cref="FormatValue"/> applies a format spec
/// (<c>[[fill]align][sign][#][0][width][,|_][.precision][type]</c>) to a string, integer, float or
/// bool, and <see cref="Str"/> is Python's <c>str()</c> (floats print as <c>repr()</c>: <c>300.0</c>).
/// Errors are <see cref="FormatException"/> with Python's wording.
/// </summary>
internal static partial class PyFormat
{
    /// <summary>One <c>literal{field!conv:spec}</c> piece of a format string; Field is null for trailing text.</summary>
    internal sealed record Part(string Text, string? Field, string? Conversion, string Spec);

    /// <summary>Splits a format string as Python's <c>Formatter.parse</c> does (<c>{{</c> and <c>}}</c> are literal braces).</summary>
    public static List<Part> Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var parts = new List<Part>();
        var text = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    text.Append('}');
                    i += 2;
                    continue;
                }
                throw new FormatException("Single '}' encountered in format string");
            }
            if (c != '{')
            {
                text.Append(c);
                i++;
                continue;
            }
            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                text.Append('{');
                i += 2;
                continue;
            }
            // Find the matching close brace; a spec may nest {} pairs.
            var depth = 1;
            var j = i + 1;
            for (; j < format.Length && depth > 0; j++)
            {
                depth += format[j] == '{' ? 1 : format[j] == '}' ? -1 : 0;
            }
            if (depth > 0)
            {
                throw new FormatException("expected '}' before end of string");
            }
            var body = format[(i + 1)..(j - 1)];
            parts.Add(ParseField(text.ToString(), body));
            text.Clear();
            i = j;
        }
        if (text.Length > 0)
        {
            parts.Add(new Part(text.ToString(), null, null, ""));
        }
        return parts;
    }

    private static Part ParseField(string text, string body)
    {
        var end = body.IndexOfAny(['!', ':']);
        var name = end < 0 ? body : body[..end];
        string? conversion = null;
        var spec = "";
        if (end >= 0 && body[end] == '!')
        {
            if (end + 1 >= body.Length)
            {
                throw new FormatException("end of string while looking for conversion specifier");
            }
            conversion = body[end + 1].ToString();
            var rest = body[(end + 2)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw new FormatException("expected ':' after conversion specifier");
                }
                spec = rest[1..];
            }
        }
        else if (end >= 0)
        {
            spec = body[(end + 1)..];
        }
        return new Part(text, name, conversion, spec);
    }

    /// <summary>Python's <c>str()</c> of a value as job listings hold them.</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        double d => Repr(d),
        JsonNode n => PyJson(n),
        _ => value.ToString() ?? "",
    };

    /// <summary>Python's <c>repr()</c> of a float: shortest round-trip digits, <c>.0</c> on integral values, exponent outside 1e-4..1e16.</summary>
    public static string Repr(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        var sign = d < 0 || (d == 0 && double.IsNegative(d)) ? "-" : "";
        var (digits, exp) = Decompose(Math.Abs(d).ToString("R", CultureInfo.InvariantCulture));
        if (exp >= -4 && exp < 16)
        {
            if (exp >= 0)
            {
                var intPart = digits.Length > exp + 1 ? digits[..(exp + 1)] : digits.PadRight(exp + 1, '0');
                var frac = digits.Length > exp + 1 ? digits[(exp + 1)..] : "0";
                return sign + intPart + "." + frac;
            }
            return sign + "0." + new string('0', -exp - 1) + digits;
        }
        var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    // Significant digits (no trailing zeros) and the decimal exponent of the first one.
    private static (string Digits, int Exp) Decompose(string r)
    {
        var e = r.IndexOfAny(['E', 'e']);
        string digits;
        int exp;
        if (e >= 0)
        {
            var mant = r[..e];
            exp = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            digits = mant.Replace(".", "", StringComparison.Ordinal);
        }
        else
        {
            var dot = r.IndexOf('.', StringComparison.Ordinal);
            var intPart = dot < 0 ? r : r[..dot];
            var frac = dot < 0 ? "" : r[(dot + 1)..];
            if (intPart.TrimStart('0').Length > 0)
            {
                intPart = intPart.TrimStart('0');
                digits = intPart + frac;
                exp = intPart.Length - 1;
            }
            else
            {
                var zeros = frac.Length - frac.TrimStart('0').Length;
                digits = frac.TrimStart('0');
                exp = -(zeros + 1);
            }
        }
        digits = digits.TrimEnd('0');
        return digits.Length == 0 ? ("0", 0) : (digits, exp);
    }

    /// <summary>Python's <c>json.dumps()</c> defaults: <c>", "</c> and <c>": "</c> separators, non-ASCII escaped.</summary>
    public static string PyJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteJson(sb, node);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o)
                {
                    sb.Append(first ? "" : ", ");
                    first = false;
                    WriteString(sb, k);
                    sb.Append(": ");
                    WriteJson(sb, v);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    sb.Append(i == 0 ? "" : ", ");
                    WriteJson(sb, a[i]);
                }
                sb.Append(']');
                break;
            default:
                var v2 = (JsonValue)node;
                switch (v2.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(sb, v2.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    case JsonValueKind.Number:
                        sb.Append(Number(v2));
                        break;
                    default:
                        sb.Append("null");
                        break;
                }
                break;
        }
    }

    // A JSON number as Python holds it: integers as int, anything with a fraction or exponent as float.
    private static string Number(JsonValue v)
    {
        if (v.TryGetValue(out JsonElement e))
        {
            return e.TryGetInt64(out var i) ? i.ToString(CultureInfo.InvariantCulture) : Repr(e.GetDouble());
        }
        if (v.TryGetValue(out double d))
        {
            return Repr(d);
        }
        return v.TryGetValue(out float f) ? Repr(f) : v.ToJsonString();
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
