// Flux Standard Duration (RFC 23): parse and format durations like "1.5h", "30", "inf".
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Flux Standard Duration, RFC 23: a non-negative floating point number with an optional
/// case-sensitive unit suffix <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (no suffix means
/// seconds), or <c>inf</c>/<c>infinity</c> (any case, no suffix) for an unlimited duration.
/// </summary>
public static class Fsd
{
    /// <summary>
    /// Parses an FSD string to seconds; infinity is <see cref="double.PositiveInfinity"/>.
    /// Throws <see cref="FluxException"/> with EINVAL saying what is wrong (negative, unknown unit,
    /// NaN, unit on infinity, no number), or ERANGE when the value overflows a double.
    /// </summary>
    public static double Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return ParseCore(s, out var error) ?? throw error!;
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out double seconds)
    {
        seconds = 0;
        if (s is null)
        {
            return false;
        }
        var result = ParseCore(s, out _);
        seconds = result ?? 0;
        return result.HasValue;
    }

    /// <summary>
    /// Parses an FSD string to a <see cref="TimeSpan"/>. Infinity maps to
    /// <see cref="Timeout.InfiniteTimeSpan"/>, the .NET "wait forever" value; a finite duration too
    /// large for a TimeSpan throws ERANGE.
    /// </summary>
    public static TimeSpan ParseTimeSpan(string s)
    {
        var seconds = Parse(s);
        if (double.IsPositiveInfinity(seconds))
        {
            return Timeout.InfiniteTimeSpan;
        }
        if (seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            throw new FluxException(Errno.ERANGE, $"duration '{s}' is too large for a TimeSpan");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Formats seconds the way flux-core's fsd_format_duration() does: the largest unit that gives a
    /// value of at least 1, printed like C's <c>%g</c> (6 significant digits): 62 → <c>1.03333m</c>,
    /// 0 → <c>0s</c>, 0.01 → <c>10ms</c> (durations below 0.1 s are shown in ms), infinity →
    /// <c>infinity</c>. NaN or a negative value throws EINVAL.
    /// </summary>
    public static string Format(double seconds)
    {
        if (double.IsPositiveInfinity(seconds))
        {
            return "infinity";
        }
        if (double.IsNaN(seconds) || seconds < 0)
        {
            throw new FluxException(Errno.EINVAL, $"duration {seconds.ToString(CultureInfo.InvariantCulture)} is not a non-negative number");
        }
        if (seconds < 0.1 && seconds != 0)
        {
            return FormatG(seconds * 1000.0) + "ms";
        }
        if (seconds < 60)
        {
            return FormatG(seconds) + "s";
        }
        if (seconds < 60.0 * 60.0)
        {
            return FormatG(seconds / 60.0) + "m";
        }
        if (seconds < 60.0 * 60.0 * 24.0)
        {
            return FormatG(seconds / (60.0 * 60.0)) + "h";
        }
        return FormatG(seconds / (60.0 * 60.0 * 24.0)) + "d";
    }

    /// <summary>Formats a <see cref="TimeSpan"/> like <see cref="Format(double)"/>; <see cref="Timeout.InfiniteTimeSpan"/> is <c>infinity</c>.</summary>
    public static string Format(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? "infinity" : Format(duration.TotalSeconds);

    // C's "%.6g": fixed notation when the decimal exponent X satisfies -4 <= X < 6, else exponential,
    // trailing zeros removed in both.
    internal static string FormatG(double value, int precision = 6)
    {
        if (value == 0)
        {
            return "0";
        }
        var e = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent >= -4 && exponent < precision)
        {
            var f = value.ToString("F" + (precision - 1 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return TrimZeros(f);
        }
        var mantissa = TrimZeros(e[..e.IndexOf('E')]);
        var sign = exponent < 0 ? '-' : '+';
        return mantissa + "e" + sign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string TrimZeros(string s) => s.Contains('.', StringComparison.Ordinal) ? s.TrimEnd('0').TrimEnd('.') : s;

    private static double? ParseCore(string s, out FluxException? error)
    {
        error = null;
        var span = s.AsSpan();
        if (span.Equals("inf", StringComparison.OrdinalIgnoreCase) || span.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }
        // The number is the longest prefix of digits, one '.', and an exponent; the rest is the unit.
        var i = 0;
        if (i < span.Length && span[i] == '+')
        {
            i++;
        }
        var digits = 0;
        while (i < span.Length && char.IsAsciiDigit(span[i]))
        {
            i++;
            digits++;
        }
        if (i < span.Length && span[i] == '.')
        {
            i++;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                i++;
                digits++;
            }
        }
        if (digits > 0 && i < span.Length && (span[i] == 'e' || span[i] == 'E'))
        {
            var j = i + 1;
            if (j < span.Length && (span[j] == '+' || span[j] == '-'))
            {
                j++;
            }
            var expDigits = 0;
            while (j < span.Length && char.IsAsciiDigit(span[j]))
            {
                j++;
                expDigits++;
            }
            if (expDigits > 0)
            {
                i = j;
            }
        }
        if (digits == 0)
        {
            error = Invalid(s, span.StartsWith("-") ? "must not be negative"
                : span.StartsWith("inf", StringComparison.OrdinalIgnoreCase) ? "infinity takes no unit"
                : "is not a number with an optional unit (ms, s, m, h, d)");
            return null;
        }
        var value = double.Parse(span[..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            error = new FluxException(Errno.ERANGE, $"duration '{s}' is out of range");
            return null;
        }
        double multiplier;
        switch (span[i..])
        {
            case "": multiplier = 1; break;
            case "ms": multiplier = .001; break;
            case "s": multiplier = 1; break;
            case "m": multiplier = 60; break;
            case "h": multiplier = 60 * 60; break;
            case "d": multiplier = 60 * 60 * 24; break;
            default:
                error = Invalid(s, $"has unknown unit '{span[i..]}' (expected ms, s, m, h or d)");
                return null;
        }
        var result = value * multiplier;
        if (double.IsInfinity(result))
        {
            error = new FluxException(Errno.ERANGE, $"duration '{s}' is out of range");
            return null;
        }
        return result;
    }

    private static FluxException Invalid(string s, string detail) => new(Errno.EINVAL, $"duration '{s}' {detail}");
}
