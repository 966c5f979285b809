// Prints RFC 18 eventlog entries as flux-core's eventlog formatter does (flux job eventlog, wait-event).
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Jobs;

/// <summary>
/// flux-core's libeventlog formatter. Text entries are <c>TIME NAME key=value ...</c> with each
/// context value as compact JSON; JSON entries are the RFC 18 line itself. Time formats:
/// <c>raw</c> (<c>%lf</c> seconds), <c>iso</c> (local ISO 8601 with microseconds and offset),
/// <c>offset</c> (seconds since the first entry) and <c>human</c> (<c>[Nov22 02:09]</c> at each new
/// minute, then <c>[  +1.234567]</c> relative to it). Color adds flux-core's ANSI colors.
/// </summary>
internal sealed class EventlogFormatter
{
    private const string Reset = "\u001b[0m";
    private const string Yellow = "\u001b[33m";
    private const string Green = "\u001b[32m";
    private const string BoldGreen = "\u001b[1m\u001b[32m";
    private const string Blue = "\u001b[34m";
    private const string Magenta = "\u001b[35m";
    private const string Gray = "\u001b[37m";
    private const string BoldRed = "\u001b[1m\u001b[31m";
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private readonly bool _json;
    private readonly string _timeFormat;
    private readonly bool _color;
    private double _t0;
    private DateTimeOffset? _lastMinute;
    private double _lastTs;

    /// <summary>
    /// <paramref name="format"/> is <c>text</c> or <c>json</c>; <paramref name="timeFormat"/> is
    /// <c>raw</c>, <c>iso</c>, <c>offset</c> or <c>human</c> (also <c>reltime</c>). EINVAL otherwise.
    /// </summary>
    public EventlogFormatter(string format, string timeFormat, bool color)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(timeFormat);
        _json = format.ToLowerInvariant() switch
        {
            "text" => false,
            "json" => true,
            _ => throw new FluxException(Errno.EINVAL, $"invalid format type '{format}'"),
        };
        _timeFormat = timeFormat.ToLowerInvariant() switch
        {
            "raw" or "iso" or "offset" or "human" => timeFormat.ToLowerInvariant(),
            "reltime" => "human",
            _ => throw new FluxException(Errno.EINVAL, $"invalid time format '{timeFormat}'"),
        };
        _color = color;
    }

    /// <summary>Sets the time the <c>offset</c> format counts from, if it is not set yet.</summary>
    public void UpdateT0(double timestamp)
    {
        if (_t0 == 0)
        {
            _t0 = timestamp;
        }
    }

    /// <summary>Formats one eventlog line (its trailing newline optional); EINVAL if it is not an RFC 18 event.</summary>
    public string Format(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var entry = Eventlog.ParseEntry(line.EndsWith('\n') ? line : line + "\n");
        if (_json)
        {
            return line.TrimEnd('\n');
        }
        var sb = new StringBuilder();
        sb.Append(Timestamp(entry.Timestamp)).Append(' ');
        sb.Append(Paint(entry.Name == "exception" ? BoldRed : Yellow, entry.Name));
        foreach (var (key, value) in entry.Context ?? [])
        {
            var text = value is null ? "null" : value.ToJsonString(Compact);
            var isNumber = value is JsonValue v && v.GetValueKind() == JsonValueKind.Number;
            sb.Append(' ').Append(Paint(Blue, key)).Append('=').Append(Paint(isNumber ? Gray : Magenta, text));
        }
        return sb.ToString();
    }

    private string Paint(string color, string text) => _color ? color + text + Reset : text;

    private string Timestamp(double ts)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (_timeFormat)
        {
            case "raw":
                return Paint(Green, ts.ToString("F6", inv));
            case "offset":
                UpdateT0(ts);
                return Paint(Green, (ts - _t0).ToString("F6", inv));
            case "iso":
                var t = PyTime.Local(ts);
                var usec = (long)((ts - Math.Floor(ts)) * 1e6);
                var tz = t.Offset == TimeSpan.Zero ? "Z" : PyTime.Offset(t.Offset, colon: true);
                return Paint(Green, PyTime.Strftime(t, "%Y-%m-%dT%T") + "." + usec.ToString("000000", inv) + tz);
            default:
                var local = PyTime.Local(ts);
                var minute = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, local.Offset);
                if (_lastMinute == minute)
                {
                    return Paint(Green, "[" + Signed(ts - _lastTs).PadLeft(11) + "]");
                }
                _lastMinute = minute;
                _lastTs = ts;
                return Paint(BoldGreen, string.Create(inv, $"[{Months[local.Month - 1]}{local.Day:00} {local.Hour:00}:{local.Minute:00}]"));
        }
    }

    // C's "%+f": always signed, six decimals.
    private static string Signed(double v) => (v < 0 ? "" : "+") + v.ToString("F6", CultureInfo.InvariantCulture);
}
