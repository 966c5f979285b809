// How many tasks the job shell can hold on this node, and the refusal of a job that asks for more.
using System.Globalization;
using Flux.Abstractions;
using Flux.Subprocess;

namespace Flux.Shell;

/// <summary>
/// A job whose tasks would exhaust the node is refused before its first task starts, instead of
/// running the host out of descriptors, processes or memory (the shell runs inside the broker, so
/// that would take the broker down). Each task holds three descriptors here (its stdin, stdout and
/// stderr; one with a pty), one process, and about <see cref="BytesPerTask"/> of the shell's memory;
/// a quarter of the descriptor and process limits (at least <see cref="MinReserve"/>) and half of the
/// memory stay for the broker that hosts the shell.
/// </summary>
internal static class TaskCapacity
{
    /// <summary>Descriptors and processes always left to the broker (its clients, modules and store).</summary>
    public const long MinReserve = 64;

    /// <summary>The shell's memory per task: two 64 KiB output buffers, the task's environment, streams and state.</summary>
    public const long BytesPerTask = 160 * 1024;

    // Linux's "too many open files", which Errno does not name.
    private const int EMFILE = 24;

    /// <summary>Throws <see cref="FluxException"/> naming the exhausted resource when <paramref name="ntasks"/> do not fit.</summary>
    public static void Check(int ntasks, bool pty, ProcessLimits limits, Func<int> openFiles)
    {
        if (Refusal(ntasks, pty, limits, openFiles) is { } why)
        {
            throw why;
        }
    }

    /// <summary>Why <paramref name="ntasks"/> tasks cannot run here, or null when they fit.</summary>
    public static FluxException? Refusal(int ntasks, bool pty, ProcessLimits limits, Func<int> openFiles)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(openFiles);
        var inv = CultureInfo.InvariantCulture;
        var fds = (long)ntasks * (pty ? 1 : 3);
        var fdRoom = Room(limits.OpenFilesLimit);
        // Counting open descriptors reads a directory: only a job large enough for it to matter pays.
        if (fdRoom != long.MaxValue && fds > fdRoom / 8)
        {
            var open = openFiles();
            if (fds > fdRoom - open)
            {
                return new FluxException(EMFILE, string.Create(inv,
                    $"{ntasks} tasks on one node need {fds} file descriptors, but the job shell may open only {Math.Max(0, fdRoom - open)} more (ulimit -n {limits.OpenFilesLimit}, {open} open, a quarter kept for the broker)"));
            }
        }
        var procRoom = Room(limits.ProcessLimit);
        if (ntasks > procRoom)
        {
            return new FluxException(Errno.EAGAIN, string.Create(inv,
                $"{ntasks} tasks on one node need as many processes, but the job shell may start only {procRoom} (ulimit -u, kernel.pid_max and kernel.threads-max allow {limits.ProcessLimit}, a quarter kept for the broker)"));
        }
        var memory = ntasks * BytesPerTask;
        var memRoom = limits.MemoryBytes / 2;
        if (memory > memRoom)
        {
            return new FluxException(Errno.ENOMEM, string.Create(inv,
                $"{ntasks} tasks on one node need about {memory >> 20} MiB for the job shell's task table, but it may use {memRoom >> 20} MiB (half of {limits.MemoryBytes >> 20} MiB)"));
        }
        return null;
    }

    private static long Room(long limit) =>
        limit == long.MaxValue ? long.MaxValue : Math.Max(0, limit - Math.Max(MinReserve, limit / 4));
}
