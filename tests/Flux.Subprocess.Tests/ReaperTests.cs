// Process-wide state held only while needed (the SIGCHLD registration, the pty poller), and the reaper's fallback.
using System.Runtime.InteropServices;
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

[CollectionDefinition(nameof(ReaperTests), DisableParallelization = true)]
public sealed class ReaperCollection;

// Alone, because other tests' tasks would hold the same process-wide registration.
[Collection(nameof(ReaperTests))]
public sealed partial class ReaperTests
{
    private const int SIGCHLD = 17;

    [Fact]
    public async Task Watch_AllTasksReaped_ReleasesSignalRegistration()
    {
        using (var task = TaskProcess.Start(Command("sleep", "100")))
        {
            Assert.True(ChildReaper.IsRegistered);
            Assert.Equal(1, ChildReaper.WatchedCount);
            task.Signal(9);
            await Await.Within(task.Exited, "exit of sleep");
        }

        Assert.Equal(0, ChildReaper.WatchedCount);
        Assert.False(ChildReaper.IsRegistered);
    }

    [Fact]
    public async Task Watch_TaskExitsBeforeItIsWatched_StillReaped()
    {
        // Sequential short tasks exit around the moment the registration comes and goes.
        for (var i = 0; i < 100; i++)
        {
            using var task = TaskProcess.Start(Command("true"));
            Assert.Equal(0, await Await.Within(task.Exited, $"exit of true #{i}"));
        }

        Assert.False(ChildReaper.IsRegistered);
    }

    [Fact]
    public async Task Dispose_PtyTask_UnregistersFromPoller()
    {
        var task = TaskProcess.Start(new TaskStartInfo { Arguments = ["true"], Environment = [], Pty = true });
        Assert.Equal(1, FdPoller.RegisteredCount);

        await Await.Within(task.Exited, "exit of true");
        task.Dispose();

        Assert.Equal(0, FdPoller.RegisteredCount);
        Assert.Throws<ObjectDisposedException>(() => task.Pty!.GetWindowSize());
    }

    [Fact]
    public async Task Watch_SigchldLost_FallbackStillReaps()
    {
        // The holder keeps the runtime's SIGCHLD handler registered throughout, so putting it back
        // below restores exactly the state the runtime believes it is in.
        using var holder = TaskProcess.Start(Command("sleep", "100"));
        using var victim = TaskProcess.Start(Command("sleep", "100"));
        var saved = SetSigchld(new byte[256]);
        try
        {
            // With SIG_DFL the kernel discards SIGCHLD: only the periodic check can see this exit.
            victim.Signal(9);
            var status = await Await.Within(victim.Exited, "the fallback check to reap a child whose SIGCHLD was lost");
            Assert.Equal(9, WaitStatus.TermSignal(status));
        }
        finally
        {
            SetSigchld(saved);
        }
        holder.Dispose();
        await Await.Within(holder.Exited, "exit of the holder");
    }

    /// <summary>Installs a raw glibc struct sigaction (all zero: SIG_DFL) for SIGCHLD; returns the one it replaced.</summary>
    private static unsafe byte[] SetSigchld(byte[] action)
    {
        var old = new byte[256];
        fixed (byte* act = action)
        fixed (byte* oldact = old)
        {
            Assert.Equal(0, sigaction(SIGCHLD, act, oldact));
        }
        return old;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial int sigaction(int signum, byte* act, byte* oldact);
}
