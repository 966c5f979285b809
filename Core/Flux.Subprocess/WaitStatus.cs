// Decoding of raw waitpid(2) status words, and flux's task exit code convention.
namespace Flux.Subprocess;

/// <summary>
/// Helpers over the raw status that <see cref="TaskProcess.Exited"/> yields, matching the glibc
/// W* macros on Linux. Tasks are never waited with WUNTRACED, so a status is always "exited" or
/// "signaled".
/// </summary>
public static class WaitStatus
{
    /// <summary>WIFEXITED: the task called exit (or returned from main).</summary>
    public static bool IsExited(int status) => (status & 0x7f) == 0;

    /// <summary>WEXITSTATUS: the low 8 bits the task passed to exit; meaningful when <see cref="IsExited"/>.</summary>
    public static int ExitStatus(int status) => (status >> 8) & 0xff;

    /// <summary>WIFSTOPPED: a stop reported by waitpid with WUNTRACED or to a tracer (never by <see cref="TaskProcess.Exited"/>).</summary>
    public static bool IsStopped(int status) => (status & 0xff) == 0x7f;

    /// <summary>WIFSIGNALED: the task was terminated by a signal.</summary>
    public static bool IsSignaled(int status) => (sbyte)((status & 0x7f) + 1) >> 1 > 0;

    /// <summary>WTERMSIG: the signal that terminated the task; meaningful when <see cref="IsSignaled"/>.</summary>
    public static int TermSignal(int status) => status & 0x7f;

    /// <summary>WCOREDUMP: the signal that terminated the task also produced a core dump.</summary>
    public static bool CoreDumped(int status) => IsSignaled(status) && (status & 0x80) != 0;

    /// <summary>
    /// The exit code flux reports for a task (and the shell exits with the largest of): the exit
    /// status, or 128+N for a task killed by signal N, as a POSIX shell does.
    /// </summary>
    public static int FluxExitCode(int status) => IsSignaled(status) ? 128 + TermSignal(status) : ExitStatus(status);

    /// <summary>The status of a task that called exit(<paramref name="exitStatus"/>): W_EXITCODE(code, 0).</summary>
    public static int FromExitStatus(int exitStatus) => (exitStatus & 0xff) << 8;
}
