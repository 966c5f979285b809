// Syslog severities (RFC 5424 §6.2.1), the level of every broker log record (log.append, log.dmesg).
namespace Flux.Formats;

/// <summary>The names of the eight syslog severities, as flux dmesg prints them.</summary>
public static class SyslogLevel
{
    /// <summary>The name of a severity 0-7 (<c>emerg</c> ... <c>debug</c>); anything above 6 is <c>debug</c>.</summary>
    public static string Name(int level) => level switch
    {
        0 => "emerg",
        1 => "alert",
        2 => "crit",
        3 => "err",
        4 => "warning",
        5 => "notice",
        6 => "info",
        _ => "debug",
    };
}
