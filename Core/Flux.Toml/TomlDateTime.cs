// A TOML date/time of one of the four kinds, keeping every fractional-second digit as written.
using System.Globalization;

namespace Flux.Toml;

/// <summary>
/// An offset date-time, local date-time, local date or local time (TOML 1.0, RFC 3339).
/// Components not present in the kind are zero. The fractional seconds are kept as the digits
/// written, since TOML allows more precision than <see cref="DateTime"/> holds; conversions
/// truncate them to 100 ns ticks (the spec asks for truncation, not rounding).
/// </summary>
public sealed class TomlDateTime : TomlValue
{
    internal TomlDateTime(
        TomlValueKind kind, int year, int month, int day, int hour, int minute, int second,
        string fraction, int? offsetMinutes, int line, int column)
        : base(line, column)
    {
        Kind = kind;
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Fraction = fraction;
        OffsetMinutes = offsetMinutes;
    }

    /// <summary>OffsetDateTime, LocalDateTime, LocalDate or LocalTime.</summary>
    public override TomlValueKind Kind { get; }

    /// <summary>The year (0-9999); 0 for a local time.</summary>
    public int Year { get; }

    /// <summary>The month (1-12); 0 for a local time.</summary>
    public int Month { get; }

    /// <summary>The day of the month; 0 for a local time.</summary>
    public int Day { get; }

    /// <summary>The hour (0-23).</summary>
    public int Hour { get; }

    /// <summary>The minute (0-59).</summary>
    public int Minute { get; }

    /// <summary>The second (0-60; 60 is an RFC 3339 leap second).</summary>
    public int Second { get; }

    /// <summary>The digits after the decimal point of the seconds, as written; empty when none.</summary>
    public string Fraction { get; }

    /// <summary>The UTC offset in minutes for an offset date-time (Z is 0), null for the local kinds.</summary>
    public int? OffsetMinutes { get; }

    /// <summary>The instant of an offset date-time; a leap second is held at :59.9999999.</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        if (Kind != TomlValueKind.OffsetDateTime)
        {
            throw new InvalidOperationException($"a {Kind} has no UTC offset");
        }
        return new DateTimeOffset(LocalTicks(), TimeSpan.FromMinutes(OffsetMinutes ?? 0));
    }

    /// <summary>A local date-time or local date as an unspecified-kind <see cref="DateTime"/>.</summary>
    public DateTime ToDateTime() => Kind is TomlValueKind.LocalDateTime or TomlValueKind.LocalDate
        ? new DateTime(LocalTicks(), DateTimeKind.Unspecified)
        : throw new InvalidOperationException($"a {Kind} is not a local date-time");

    /// <summary>A local time as a <see cref="TimeOnly"/>.</summary>
    public TimeOnly ToTimeOnly() => Kind == TomlValueKind.LocalTime
        ? new TimeOnly(TimeTicks())
        : throw new InvalidOperationException($"a {Kind} is not a local time");

    /// <summary>The RFC 3339 text: upper-case T and Z, a 'T' separator, every fraction digit kept.</summary>
    public override string ToString()
    {
        Span<char> buf = stackalloc char[32 + Fraction.Length];
        var n = 0;
        if (Kind != TomlValueKind.LocalTime)
        {
            n += Pad(buf[n..], Year, 4);
            buf[n++] = '-';
            n += Pad(buf[n..], Month, 2);
            buf[n++] = '-';
            n += Pad(buf[n..], Day, 2);
            if (Kind == TomlValueKind.LocalDate)
            {
                return new string(buf[..n]);
            }
            buf[n++] = 'T';
        }
        n += Pad(buf[n..], Hour, 2);
        buf[n++] = ':';
        n += Pad(buf[n..], Minute, 2);
        buf[n++] = ':';
        n += Pad(buf[n..], Second, 2);
        if (Fraction.Length > 0)
        {
            buf[n++] = '.';
            Fraction.AsSpan().CopyTo(buf[n..]);
            n += Fraction.Length;
        }
        if (OffsetMinutes is int off)
        {
            if (off == 0)
            {
                buf[n++] = 'Z';
            }
            else
            {
                buf[n++] = off < 0 ? '-' : '+';
                off = Math.Abs(off);
                n += Pad(buf[n..], off / 60, 2);
                buf[n++] = ':';
                n += Pad(buf[n..], off % 60, 2);
            }
        }
        return new string(buf[..n]);
    }

    private static int Pad(Span<char> dest, int value, int width)
    {
        value.TryFormat(dest[..width], out _, width == 4 ? "D4" : "D2", CultureInfo.InvariantCulture);
        return width;
    }

    private long LocalTicks()
    {
        var date = new DateTime(Year, Month, Day, 0, 0, 0, DateTimeKind.Unspecified);
        return date.Ticks + TimeTicks();
    }

    private long TimeTicks()
    {
        // 7 fraction digits are 100 ns ticks; further digits are dropped (truncated).
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < Fraction.Length ? Fraction[i] - '0' : 0);
        }
        var second = Second;
        if (second == 60)
        {
            second = 59;
            ticks = TimeSpan.TicksPerSecond - 1;
        }
        return (((Hour * 60L) + Minute) * 60 + second) * TimeSpan.TicksPerSecond + ticks;
    }
}
