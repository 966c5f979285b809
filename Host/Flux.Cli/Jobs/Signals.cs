// Linux signals for the commands: names and numbers (--signal, flux job kill) and strsignal(3)
// descriptions (flux-core's inactive_reason prints these).
using System.Globalization;

namespace Flux.Cli.Jobs;

internal static class Signals
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

    /// <summary>strsignal(signum): "Terminated" for 15, "Real-time signal N" above 33; "Signaled N" when there is no such signal (as flux-core prints it).</summary>
    public static string Describe(int signum) => signum switch
    {
        > 0 and < 32 => Descriptions[signum],
        >= 34 and <= 64 => $"Real-time signal {signum - 34}",
        _ => $"Signaled {signum}",
    };

    /// <summary>A signal given as a number (1-64) or a name with or without SIG (TERM, SIGTERM); null if it is neither.</summary>
    public static int? Parse(string s)
    {
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is > 0 and < 65 ? n : null;
        }
        var name = s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? s[3..] : s;
        var i = Array.FindIndex(Names, x => x.Length > 0 && string.Equals(x, name, StringComparison.OrdinalIgnoreCase));
        return i > 0 ? i : null;
    }

    /// <summary>SIGTERM for 15; the number itself when there is no name.</summary>
    public static string Name(int signum) => signum > 0 && signum < Names.Length ? "SIG" + Names[signum] : signum.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The exit code of a job, as flux run and flux job status report it: the exit status, 128+N for a
    /// task killed by signal N, and 1 for a job without a wait status (no finish event) or one that
    /// failed (an exception) with exit status 0.
    /// </summary>
    public static int ExitCode(int waitStatus, bool success = true)
    {
        if (waitStatus < 0)
        {
            return 1;
        }
        var code = (waitStatus & 0x7f) != 0 ? 128 + (waitStatus & 0x7f) : (waitStatus >> 8) & 0xff;
        return code == 0 && !success ? 1 : code;
    }
}
