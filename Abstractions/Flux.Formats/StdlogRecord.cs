// One broker log record as flux-core's log ring holds it: RFC 5424 text (libutil/stdlog.c).
using System.Globalization;

namespace Flux.Formats;

/// <summary>
/// A log record in flux-core's RFC 5424 form, what its <c>log.dmesg</c> answers with:
/// <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG</c>, where the
/// hostname is the broker rank, the app name the component, MSGID and STRUCTURED-DATA the nil
/// value <c>-</c>. flux-core's broker puts the severity in PRI's upper bits (debug is
/// <c>&lt;56&gt;</c>, info <c>&lt;48&gt;</c>, as its 0.88 traces show) and decodes it the same way.
/// </summary>
/// <param name="Severity">Syslog severity 0-7.</param>
/// <param name="Timestamp">Seconds since the Unix epoch (0 when the record carries the nil value).</param>
/// <param name="Hostname">The broker rank, as text.</param>
/// <param name="AppName">The component (module) that logged.</param>
/// <param name="ProcId">The broker's process id, as text.</param>
/// <param name="Text">The message.</param>
public sealed record StdlogRecord(int Severity, double Timestamp, string Hostname, string AppName, string ProcId, string Text)
{
    private const string Nil = "-";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>The record as RFC 5424 text (no trailing newline; trailing CR/LF of the text dropped as flux-core does).</summary>
    public string Encode()
    {
        var when = Timestamp > 0
            ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(Timestamp * TimeSpan.TicksPerSecond)).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)
            : Nil;
        return string.Create(CultureInfo.InvariantCulture,
            $"<{(Math.Clamp(Severity, 0, 7) << 3)}>1 {when} {Field(Hostname)} {Field(AppName)} {Field(ProcId)} {Nil} {Nil} {Text.TrimEnd('\r', '\n')}");
    }

    /// <summary>Parses RFC 5424 text as stdlog_decode does.</summary>
    /// <exception cref="FormatException">The header is malformed.</exception>
    public static StdlogRecord Decode(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var pos = 0;
        if (line.Length == 0 || line[0] != '<')
        {
            throw new FormatException("log record: missing <PRI>");
        }
        var close = line.IndexOf('>', StringComparison.Ordinal);
        if (close < 2 || !int.TryParse(line.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pri))
        {
            throw new FormatException("log record: malformed <PRI>");
        }
        pos = close + 1;
        var version = Next(line, ref pos, "version");
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException("log record: malformed version");
        }
        var when = Next(line, ref pos, "timestamp");
        var host = Next(line, ref pos, "hostname");
        var app = Next(line, ref pos, "app-name");
        var procid = Next(line, ref pos, "procid");
        _ = Next(line, ref pos, "msgid");
        SkipStructuredData(line, ref pos);
        return new StdlogRecord((pri >> 3) & 7, ParseTime(when), host, app, procid, line[pos..]);
    }

    private static string Field(string s) => string.IsNullOrEmpty(s) ? Nil : s.Replace(' ', '_');

    private static string Next(string line, ref int pos, string what)
    {
        var end = line.IndexOf(' ', pos);
        if (end < 0 || end == pos)
        {
            throw new FormatException($"log record: missing {what}");
        }
        var s = line[pos..end];
        pos = end + 1;
        return s;
    }

    // STRUCTURED-DATA is "-" or bracketed elements; a space outside brackets ends it.
    private static void SkipStructuredData(string line, ref int pos)
    {
        var depth = 0;
        for (var i = pos; i < line.Length; i++)
        {
            if (line[i] == '[')
            {
                depth++;
            }
            else if (line[i] == ']')
            {
                depth--;
            }
            else if (line[i] == ' ' && depth == 0)
            {
                pos = i + 1;
                return;
            }
        }
        throw new FormatException("log record: missing structured data");
    }

    private static double ParseTime(string s) =>
        s == Nil ? 0
        : DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond
            : throw new FormatException($"log record: malformed timestamp '{s}'");
}
