// Linux signal names and numbers, as flux-core's commands and configuration take them, and their
// strsignal(3) descriptions.
using System.Globalization;

namespace Flux.Abstractions;

/// <summary>
/// Linux signals by name and number: <c>--signal=SIG@TIME</c>, <c>flux job kill -s</c>,
/// <c>[exec] term-signal</c> and the like accept a name with or without <c>SIG</c> (any case) or a
/// number from 1 to 64.
/// </summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    private static readonly string[] Descriptions =
    [
        "", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted",
        "Bus error", "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault",
        "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited",
        "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)",
        "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded",
        "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible",
        "Power failure", "Bad system call",
    ];

    /// <summary>A signal given as a number (1-64) or a name with or without SIG (TERM, SIGTERM, term); null if it is neither.</summary>
    public static int? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is > 0 and < 65 ? n : null;
        }
        var name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        var i = Array.FindIndex(Names, x => x.Length > 0 && string.Equals(x, name, StringComparison.OrdinalIgnoreCase));
        return i > 0 ? i : null;
    }

    /// <summary>As <see cref="Parse"/>, in the Try form.</summary>
    public static bool TryParse(string text, out int signum)
    {
        var parsed = Parse(text);
        signum = parsed ?? 0;
        return parsed is not null;
    }

    /// <summary>SIGTERM for 15; the number itself when the signal has no name.</summary>
    public static string Name(int signum) => signum > 0 && signum < Names.Length ? "SIG" + Names[signum] : signum.ToString(CultureInfo.InvariantCulture);

    /// <summary>strsignal(signum): "Terminated" for 15, "Real-time signal N" from 34 to 64, "Signaled N" when there is no such signal (as flux-core prints it).</summary>
    public static string Describe(int signum) => signum switch
    {
        > 0 and < 32 => Descriptions[signum],
        >= 34 and <= 64 => $"Real-time signal {signum - 34}",
        _ => $"Signaled {signum}",
    };
}
