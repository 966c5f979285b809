// Time conversions of flux-core's Python tools: local datetimes, strftime, timedelta text and flux.util.fsd().
using System.Globalization;
using System.Text;

namespace Flux.Cli.Jobs;

/// <summary>
/// Time helpers matching what <c>flux jobs</c> prints: <see cref="Fsd"/> is flux.util.fsd() (the
/// <c>!F</c> conversion: <c>1.234s</c>, <c>2.5m</c>), <see cref="TimeDelta"/> is Python's
/// <c>str(timedelta)</c> (<c>!H</c>: <c>0:05:00</c>), <see cref="Strftime"/> covers the C
/// <c>strftime</c> directives used in formats (<c>!d:%b%d %R</c>) in the local time zone.
/// </summary>
internal static class PyTime
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] MonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    // The timestamps a DateTimeOffset holds, a day inside its range so that any local offset fits.
    private static readonly double MinTimestamp = (DateTimeOffset.MinValue - DateTimeOffset.UnixEpoch).TotalSeconds + 86400;
    private static readonly double MaxTimestamp = (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).TotalSeconds - 86400;

    /// <summary>
    /// The local date and time of a Unix timestamp (Python's datetime.fromtimestamp). One past year
    /// 9999 (the expiration of a job with a time limit of thousands of years: any FSD is accepted) is
    /// shown as the last day a date can show, not an error.
    /// </summary>
    public static DateTimeOffset Local(double timestamp)
    {
        var t = double.IsNaN(timestamp) ? 0 : Math.Clamp(timestamp, MinTimestamp, MaxTimestamp);
        return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(t * TimeSpan.TicksPerSecond)).ToLocalTime();
    }

    /// <summary>flux.util.fsd(): <c>0s</c> under 1ms, <c>%.03fs</c> under 10s, then <c>%.4g</c> seconds, minutes, hours or days.</summary>
    public static string Fsd(double secs)
    {
        if (double.IsInfinity(secs))
        {
            return "inf";
        }
        if (secs < 1.0e-3)
        {
            return "0s";
        }
        if (secs < 10.0)
        {
            return PyFormat.Fixed(secs, 3) + "s";
        }
        if (secs < 60.0)
        {
            return PyFormat.General(secs, 4) + "s";
        }
        if (secs < 60.0 * 60.0)
        {
            return PyFormat.General(secs / 60.0, 4) + "m";
        }
        if (secs < 60.0 * 60.0 * 24.0)
        {
            return PyFormat.General(secs / (60.0 * 60.0), 4) + "h";
        }
        return PyFormat.General(secs / (60.0 * 60.0 * 24.0), 4) + "d";
    }

    /// <summary>Python's <c>str(timedelta(seconds=n))</c>: <c>H:MM:SS</c>, with <c>N day(s), </c> in front past a day.</summary>
    public static string TimeDelta(long seconds)
    {
        var days = (long)Math.Floor(seconds / 86400.0);
        var rest = seconds - (days * 86400);
        var hms = string.Create(CultureInfo.InvariantCulture, $"{rest / 3600}:{rest / 60 % 60:00}:{rest % 60:00}");
        return days == 0 ? hms : string.Create(CultureInfo.InvariantCulture, $"{days} day{(Math.Abs(days) == 1 ? "" : "s")}, {hms}");
    }

    /// <summary>C's <c>strftime</c> for the common directives (%a %A %b %B %c %d %D %e %F %H %I %j %m %M %p %R %s %S %T %y %Y %z %Z %%).</summary>
    public static string Strftime(DateTimeOffset t, string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var c = format[++i];
            switch (c)
            {
                case 'a': sb.Append(Days[(int)t.DayOfWeek]); break;
                case 'A': sb.Append(DayNames[(int)t.DayOfWeek]); break;
                case 'b' or 'h': sb.Append(Months[t.Month - 1]); break;
                case 'B': sb.Append(MonthNames[t.Month - 1]); break;
                case 'c': sb.Append(Strftime(t, "%a %b %e %H:%M:%S %Y")); break;
                case 'd': sb.Append(t.Day.ToString("00", inv)); break;
                case 'D': sb.Append(Strftime(t, "%m/%d/%y")); break;
                case 'e': sb.Append(t.Day.ToString(inv).PadLeft(2)); break;
                case 'f': sb.Append((t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", inv)); break;
                case 'F': sb.Append(Strftime(t, "%Y-%m-%d")); break;
                case 'H': sb.Append(t.Hour.ToString("00", inv)); break;
                case 'I': sb.Append(((t.Hour + 11) % 12 + 1).ToString("00", inv)); break;
                case 'j': sb.Append(t.DayOfYear.ToString("000", inv)); break;
                case 'm': sb.Append(t.Month.ToString("00", inv)); break;
                case 'M': sb.Append(t.Minute.ToString("00", inv)); break;
                case 'p': sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
                case 'R': sb.Append(Strftime(t, "%H:%M")); break;
                case 's': sb.Append(t.ToUnixTimeSeconds().ToString(inv)); break;
                case 'S': sb.Append(t.Second.ToString("00", inv)); break;
                case 'T': sb.Append(Strftime(t, "%H:%M:%S")); break;
                case 'y': sb.Append((t.Year % 100).ToString("00", inv)); break;
                case 'Y': sb.Append(t.Year.ToString(inv)); break;
                case 'z': sb.Append(Offset(t.Offset, colon: false)); break;
                case 'Z': sb.Append(TimeZoneInfo.Local.IsDaylightSavingTime(t) ? TimeZoneInfo.Local.DaylightName : TimeZoneInfo.Local.StandardName); break;
                case '%': sb.Append('%'); break;
                default: sb.Append('%').Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A UTC offset as <c>+HHMM</c> (or <c>+HH:MM</c> with <paramref name="colon"/>).</summary>
    public static string Offset(TimeSpan offset, bool colon)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var a = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{a.Hours:00}{(colon ? ":" : "")}{a.Minutes:00}");
    }
}
