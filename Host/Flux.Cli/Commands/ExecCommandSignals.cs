// Signal descriptions as glibc's strsignal(3) gives them: flux exec prints "RANKS: Killed" as flux-core's does.
namespace Flux.Cli.Commands;

/// <summary>strsignal text for Linux signal numbers (flux-exec.c completion_cb names a killed process's signal so).</summary>
internal static class ExecCommandSignals
{
    private static readonly string[] Names =
    [
        "Unknown signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted",
        "Bus error", "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault",
        "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited",
        "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)",
        "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired",
        "Profiling timer expired", "Window changed", "I/O possible", "Power failure", "Bad system call",
    ];

    /// <summary>glibc's text for <paramref name="signum"/>; real-time signals 34-64 are "Real-time signal N-34".</summary>
    public static string Describe(int signum) => signum switch
    {
        >= 1 and < 32 => Names[signum],
        >= 34 and <= 64 => $"Real-time signal {signum - 34}",
        _ => $"Unknown signal {signum}",
    };
}
