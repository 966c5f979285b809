// Linux signal descriptions, as strsignal(3) gives them (flux-core's inactive_reason prints these).
namespace Flux.Cli.Jobs;

internal static class Signals
{
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
}
