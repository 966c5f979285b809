// Collects the wait status of each task process we spawned, by pid, when SIGCHLD says a child changed state.
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

// Never waitpid(-1): the .NET runtime reaps the children of System.Diagnostics.Process itself, and
// other code in the broker may own children too. The SIGCHLD registration and the fallback timer
// exist only while some watched pid is unreaped, so an idle (or unloaded) plugin leaves no handler
// rooted in its load context.
internal static unsafe class ChildReaper
{
    // SIGCHLD is what normally completes a wait; the timer only bounds the delay if a signal is
    // ever lost (a handler that someone reset, a process running as pid 1 with SIGCHLD ignored...).
    private static readonly TimeSpan FallbackPeriod = TimeSpan.FromSeconds(1);
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, TaskCompletionSource<int>> Watched = [];
    private static readonly List<int> Finished = [];
    private static PosixSignalRegistration? s_sigchld;
    private static Timer? s_fallback;

    /// <summary>The number of spawned pids not yet reaped.</summary>
    public static int WatchedCount
    {
        get
        {
            lock (Gate)
            {
                return Watched.Count;
            }
        }
    }

    /// <summary>Whether the process-wide SIGCHLD registration is currently held.</summary>
    public static bool IsRegistered
    {
        get
        {
            lock (Gate)
            {
                return s_sigchld is not null;
            }
        }
    }

    /// <summary>Starts watching a child that was just spawned; the task completes with its raw wait status.</summary>
    public static Task<int> Watch(int pid)
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Gate)
        {
            if (Watched.Count == 0)
            {
                s_sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, static _ => Scan());
                s_fallback = new Timer(static _ => Scan(), null, FallbackPeriod, FallbackPeriod);
            }
            Watched.Add(pid, exited);
            // The child may have exited before this point, while no registration existed (or before
            // it was in the table when a scan ran): its SIGCHLD is then spent, so look now.
            if (TryReap(pid, exited))
            {
                Forget(pid);
            }
        }
        return exited.Task;
    }

    private static void Scan()
    {
        lock (Gate)
        {
            // One SIGCHLD may stand for several exits (signals coalesce), so every pid is checked.
            foreach (var (pid, exited) in Watched)
            {
                if (TryReap(pid, exited))
                {
                    Finished.Add(pid);
                }
            }
            foreach (var pid in Finished)
            {
                Forget(pid);
            }
            Finished.Clear();
        }
    }

    private static void Forget(int pid)
    {
        Watched.Remove(pid);
        if (Watched.Count == 0)
        {
            s_sigchld?.Dispose();
            s_sigchld = null;
            s_fallback?.Dispose();
            s_fallback = null;
        }
    }

    private static bool TryReap(int pid, TaskCompletionSource<int> exited)
    {
        while (true)
        {
            int status;
            var r = LibC.waitpid(pid, &status, LibC.WNoHang);
            if (r == pid)
            {
                exited.TrySetResult(status);
                return true;
            }
            if (r == 0)
            {
                return false;
            }
            var errno = LibC.Errno;
            if (errno == LibC.EINTR)
            {
                continue;
            }
            // ECHILD: something else waited for our child. The .NET runtime does that for every
            // child when SIGCHLD was ignored at startup or the process is pid 1 (a container's init).
            exited.TrySetException(new InvalidOperationException(
                $"waitpid({pid}): {LibC.StrError(errno)}: its status was collected elsewhere (is the broker pid 1, or was SIGCHLD ignored when it started?)"));
            return true;
        }
    }
}
