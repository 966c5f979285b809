// Python's format() of strings, integers, floats and bools: the format-spec mini-language flux jobs formats use.
using System.Globalization;
using System.Text;

namespace Flux.Cli.Jobs;

internal static partial class PyFormat
{
    /// <summary>
    /// <c>format(value, spec)</c>: strings take fill, alignment, width and precision (truncation);
    /// integers and floats take the numeric types as well. A bool with an empty spec prints
    /// <c>True</c>/<c>False</c>, with a spec as the integer it is in Python.
    /// </summary>
    public static string FormatValue(object? value, string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length == 0)
        {
            return Str(value);
        }
        var s = Spec.Parse(spec);
        return value switch
        {
            bool b => FormatInt(b ? 1 : 0, s),
            long l => FormatInt(l, s),
            int n => FormatInt(n, s),
            ulong u => FormatInt((long)u, s),
            double d => FormatFloat(d, s),
            _ => FormatString(Str(value), s, spec, TypeName(value)),
        };
    }

    private static string TypeName(object? v) => v is string ? "str" : v is null ? "NoneType" : "object";

    private static string FormatString(string value, Spec s, string spec, string typeName)
    {
        if (s.Type is not (null or 's'))
        {
            throw new FormatException($"Unknown format code '{s.Type}' for object of type '{typeName}'");
        }
        if (s.Sign is not null)
        {
            throw new FormatException("Sign not allowed in string format specifier");
        }
        if (s.Align == '=')
        {
            throw new FormatException("'=' alignment not allowed in string format specifier");
        }
        if (s.Grouping is not null || s.Alternate)
        {
            throw new FormatException($"Invalid format specifier '{spec}' for object of type '{typeName}'");
        }
        if (s.Precision is { } p && value.Length > p)
        {
            value = value[..p];
        }
        return Pad(value, s, defaultAlign: '<', signLength: 0);
    }

    private static string FormatInt(long value, Spec s)
    {
        switch (s.Type)
        {
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%':
                return FormatFloat(value, s);
            case null or 'd' or 'n' or 'b' or 'o' or 'x' or 'X' or 'c':
                break;
            default:
                throw new FormatException($"Unknown format code '{s.Type}' for object of type 'int'");
        }
        if (s.Precision is not null)
        {
            throw new FormatException("Precision not allowed in integer format specifier");
        }
        if (s.Type == 'c')
        {
            return Pad(char.ConvertFromUtf32((int)value), s, '<', 0);
        }
        var magnitude = value == long.MinValue ? 9223372036854775808UL : (ulong)Math.Abs(value);
        var digits = s.Type switch
        {
            'b' => Convert.ToString((long)magnitude, 2),
            'o' => Convert.ToString((long)magnitude, 8),
            'x' => magnitude.ToString("x", CultureInfo.InvariantCulture),
            'X' => magnitude.ToString("X", CultureInfo.InvariantCulture),
            _ => magnitude.ToString(CultureInfo.InvariantCulture),
        };
        if (s.Grouping is { } g)
        {
            digits = Group(digits, g, s.Type is 'b' or 'o' or 'x' or 'X' ? 4 : 3);
        }
        if (s.Alternate && s.Type is 'b' or 'o' or 'x' or 'X')
        {
            digits = "0" + (s.Type == 'X' ? "X" : s.Type.ToString()) + digits;
        }
        var signText = SignText(value < 0, s.Sign);
        return Pad(signText + digits, s, '>', signText.Length);
    }

    private static string FormatFloat(double value, Spec s)
    {
        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var a = Math.Abs(value);
        string body;
        switch (s.Type)
        {
            case 'f' or 'F':
                body = Fixed(a, s.Precision ?? 6, s.Type == 'F');
                break;
            case 'e' or 'E':
                body = Exponent(a, s.Precision ?? 6, s.Type == 'E', s.Alternate);
                break;
            case 'g' or 'G' or 'n':
                body = General(a, s.Precision ?? 6, s.Type == 'G', s.Alternate);
                break;
            case '%':
                body = Fixed(a * 100, s.Precision ?? 6, false) + "%";
                break;
            case null:
                body = s.Precision is { } p ? General(a, p, false, s.Alternate, ensurePoint: true) : Repr(a);
                break;
            default:
                throw new FormatException($"Unknown format code '{s.Type}' for object of type 'float'");
        }
        if (s.Grouping is { } g && double.IsFinite(a))
        {
            var dot = body.IndexOfAny(['.', 'e', 'E', '%']);
            var intPart = dot < 0 ? body : body[..dot];
            body = Group(intPart, g, 3) + (dot < 0 ? "" : body[dot..]);
        }
        var signText = SignText(negative, s.Sign);
        return Pad(signText + body, s, '>', signText.Length);
    }

    /// <summary>C's <c>%.{precision}f</c>.</summary>
    public static string Fixed(double a, int precision, bool upper = false)
    {
        if (!double.IsFinite(a))
        {
            return NonFinite(a, upper);
        }
        return a.ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Exponent(double a, int precision, bool upper, bool alternate)
    {
        if (!double.IsFinite(a))
        {
            return NonFinite(a, upper);
        }
        var e = a.ToString((upper ? "E" : "e") + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var idx = e.IndexOfAny(['e', 'E']);
        var exp = int.Parse(e[(idx + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mant = e[..idx];
        if (alternate && !mant.Contains('.', StringComparison.Ordinal))
        {
            mant += ".";
        }
        return mant + e[idx] + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>C's <c>%.{precision}g</c> (Python's 'g'): fixed or exponent by the decimal exponent, trailing zeros removed.</summary>
    public static string General(double a, int precision, bool upper = false, bool alternate = false, bool ensurePoint = false)
    {
        if (!double.IsFinite(a))
        {
            return NonFinite(a, upper);
        }
        var p = precision == 0 ? 1 : precision;
        if (a == 0)
        {
            return ensurePoint ? "0.0" : alternate ? "0." + new string('0', p - 1) : "0";
        }
        var e = a.ToString("E" + (p - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var exp = int.Parse(e[(e.IndexOf('E', StringComparison.Ordinal) + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        // Python's None type with a precision switches to exponent at p-1 and keeps one decimal.
        var limit = ensurePoint ? p - 1 : p;
        string r;
        if (exp >= -4 && exp < Math.Max(limit, 1))
        {
            r = a.ToString("F" + Math.Max(p - 1 - exp, 0).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (!alternate)
            {
                r = TrimZeros(r);
            }
            if (ensurePoint && !r.Contains('.', StringComparison.Ordinal))
            {
                r += ".0";
            }
            return r;
        }
        var m = e[..e.IndexOf('E', StringComparison.Ordinal)];
        if (!alternate)
        {
            m = TrimZeros(m);
        }
        return m + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string TrimZeros(string s) => s.Contains('.', StringComparison.Ordinal) ? s.TrimEnd('0').TrimEnd('.') : s;

    private static string NonFinite(double a, bool upper)
    {
        var s = double.IsNaN(a) ? "nan" : "inf";
        return upper ? s.ToUpperInvariant() : s;
    }

    private static string Group(string digits, char separator, int size)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % size == 0)
            {
                sb.Append(separator);
            }
            sb.Append(digits[i]);
        }
        return sb.ToString();
    }

    private static string SignText(bool negative, char? sign) =>
        negative ? "-" : sign switch { '+' => "+", ' ' => " ", _ => "" };

    private static string Pad(string value, Spec s, char defaultAlign, int signLength)
    {
        var width = s.Width ?? 0;
        if (value.Length >= width)
        {
            return value;
        }
        var fill = s.Fill ?? (s.ZeroPad && s.Align is null ? '0' : ' ');
        var align = s.Align ?? (s.ZeroPad ? '=' : defaultAlign);
        var n = width - value.Length;
        return align switch
        {
            '<' => value + new string(fill, n),
            '^' => new string(fill, n / 2) + value + new string(fill, n - (n / 2)),
            '=' => value[..signLength] + new string(fill, n) + value[signLength..],
            _ => new string(fill, n) + value,
        };
    }

    /// <summary>A parsed format spec: <c>[[fill]align][sign][#][0][width][grouping][.precision][type]</c>.</summary>
    internal sealed record Spec(char? Fill, char? Align, char? Sign, bool Alternate, bool ZeroPad, int? Width, char? Grouping, int? Precision, char? Type)
    {
        public static Spec Parse(string spec)
        {
            var i = 0;
            char? fill = null, align = null, sign = null, grouping = null, type = null;
            if (spec.Length >= 2 && spec[1] is '<' or '>' or '=' or '^')
            {
                fill = spec[0];
                align = spec[1];
                i = 2;
            }
            else if (spec.Length >= 1 && spec[0] is '<' or '>' or '=' or '^')
            {
                align = spec[0];
                i = 1;
            }
            if (i < spec.Length && spec[i] is '+' or '-' or ' ')
            {
                sign = spec[i++];
            }
            var alternate = false;
            if (i < spec.Length && spec[i] == '#')
            {
                alternate = true;
                i++;
            }
            var zero = false;
            if (i < spec.Length && spec[i] == '0')
            {
                zero = true;
                i++;
            }
            int? width = ReadInt(spec, ref i);
            if (i < spec.Length && spec[i] is ',' or '_')
            {
                grouping = spec[i++];
            }
            int? precision = null;
            if (i < spec.Length && spec[i] == '.')
            {
                i++;
                precision = ReadInt(spec, ref i) ?? throw new FormatException("Format specifier missing precision");
            }
            if (i < spec.Length)
            {
                type = spec[i++];
            }
            if (i < spec.Length)
            {
                throw new FormatException($"Invalid format specifier '{spec}'");
            }
            return new Spec(fill, align, sign, alternate, zero, width, grouping, precision, type);
        }

        private static int? ReadInt(string s, ref int i)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
        }

        /// <summary>The spec as text, with <paramref name="width"/> in place of its own (none when null).</summary>
        public string Render(int? width) =>
            (Align is null ? "" : (Fill?.ToString() ?? "") + Align) + (Sign?.ToString() ?? "") + (Alternate ? "#" : "") + (ZeroPad ? "0" : "")
            + (width is { } w ? w.ToString(CultureInfo.InvariantCulture) : "") + (Grouping?.ToString() ?? "")
            + (Precision is { } p ? "." + p.ToString(CultureInfo.InvariantCulture) : "") + (Type?.ToString() ?? "");
    }
}
