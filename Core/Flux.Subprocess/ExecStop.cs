// Stopping a task at the exec of its program (flux-shell's -o stop-tasks-in-exec), for a parallel debugger to attach.
namespace Flux.Subprocess;

/// <summary>
/// flux-core's shell makes the forked child call <c>ptrace(PTRACE_TRACEME)</c> before its exec, waits for
/// the exec's SIGTRAP stop, sends SIGSTOP and detaches, leaving the task stopped on the first instruction
/// of its program. .NET cannot run code between fork and exec, and posix_spawn returns once the exec is
/// done, so the task is spawned through a gate instead: <c>/bin/sh -c 'read _ &lt;&amp;N; exec "$@" N&lt;&amp;-'</c>
/// with the read end of a pipe as fd N. The shell attaches (<c>PTRACE_SEIZE</c> with
/// <c>PTRACE_O_TRACEEXEC</c>) while sh waits on the gate, closes the gate, waits for the exec event of the
/// task's own argv (not sh's own exec, which a seize right after posix_spawn may still see), then sends
/// SIGSTOP and detaches, as flux-core does. sh runs no code of the task's: its argv is executed as given (argv[0] kept; a name without '/' is searched in the task's PATH by sh).
/// All ptrace requests are made by the thread that calls <see cref="Run"/>, as ptrace(2) requires.
/// </summary>
internal static unsafe class ExecStop
{
    /// <summary>The shell that runs the gate.</summary>
    public const string Shell = "/bin/sh";

    /// <summary>The highest fd sh's redirections can name portably (a single digit).</summary>
    public const int MaxGateFd = 9;

    /// <summary>The argv of the gate for a task whose argv is <paramref name="argv"/>, reading the gate on fd <paramref name="gateFd"/>.</summary>
    public static string[] Argv(IReadOnlyList<string> argv, int gateFd) =>
        ["sh", "-c", $"read _ <&{gateFd}; exec \"$@\" {gateFd}<&-", "sh", .. argv];

    /// <summary>Creates the gate: (read end for the task, write end kept here), both close-on-exec.</summary>
    public static (int Read, int Write)? CreateGate()
    {
        var fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.OCloExec) < 0)
        {
            return null;
        }
        return (fds[0], fds[1]);
    }

    /// <summary>
    /// Attaches to the gated child <paramref name="pid"/>, opens the gate (<paramref name="gateWrite"/> is
    /// closed here in every case) and waits until the task has executed its program, then leaves it stopped
    /// (SIGSTOP) and detached; <paramref name="gateFd"/> is the gate's fd in the child. Returns null on
    /// success; otherwise the child's wait status when it ended before its exec (it has been reaped), or throws <see cref="IOException"/> when ptrace failed (the
    /// child has been killed and reaped).
    /// </summary>
    public static int? Run(int pid, int gateWrite, int gateFd)
    {
        if (LibC.ptrace(LibC.PtraceSeize, pid, 0, LibC.PtraceOTraceExec | LibC.PtraceOExitKill) < 0)
        {
            var errno = LibC.Errno;
            LibC.close(gateWrite);
            KillAndReap(pid);
            throw new IOException($"ptrace(PTRACE_SEIZE, {pid}): {LibC.StrError(errno)} (stop-tasks-in-exec needs the shell to be allowed to trace its tasks)");
        }
        // EOF on the gate: sh executes the task's argv.
        LibC.close(gateWrite);
        while (true)
        {
            int status;
            var r = LibC.waitpid(pid, &status, LibC.WAll);
            if (r < 0)
            {
                var errno = LibC.Errno;
                if (errno == LibC.EINTR)
                {
                    continue;
                }
                KillAndReap(pid);
                throw new IOException($"waitpid({pid}): {LibC.StrError(errno)}");
            }
            if (!WaitStatus.IsStopped(status))
            {
                // Exited or killed before its exec (sh could not execute it, or SIGKILL): reaped now.
                return status;
            }
            var stopSignal = (status >> 8) & 0xff;
            var ptraceEvent = (status >> 16) & 0xff;
            // posix_spawn returns once the child has released the parent's memory, which is inside its own
            // execve of sh: the seize can come before that exec ends, and then its event is the first one seen.
            // sh still holds the gate there; the task's exec does not (the gate is closed for it: "N<&-").
            if (stopSignal == LibC.SigTrap && ptraceEvent == LibC.PtraceEventExec && !HoldsFd(pid, gateFd))
            {
                // The SIGSTOP is pending while the task is traced and stops it once detached.
                if (LibC.kill(pid, LibC.SigStop) < 0 || LibC.ptrace(LibC.PtraceDetach, pid, 0, 0) < 0)
                {
                    var errno = LibC.Errno;
                    KillAndReap(pid);
                    throw new IOException($"stopping task {pid} in exec: {LibC.StrError(errno)}");
                }
                return null;
            }
            // A signal delivered to sh before its exec goes on to it; other ptrace stops resume as they were.
            var inject = ptraceEvent == 0 ? stopSignal : 0;
            if (LibC.ptrace(LibC.PtraceCont, pid, 0, inject) < 0)
            {
                var errno = LibC.Errno;
                KillAndReap(pid);
                throw new IOException($"ptrace(PTRACE_CONT, {pid}): {LibC.StrError(errno)}");
            }
        }
    }

    private static bool HoldsFd(int pid, int fd) => Path.Exists($"/proc/{pid}/fd/{fd}");

    private static void KillAndReap(int pid)
    {
        LibC.kill(pid, LibC.SigKill);
        int status;
        while (LibC.waitpid(pid, &status, LibC.WAll) < 0 && LibC.Errno == LibC.EINTR)
        {
        }
    }
}
