// The job shell refuses a job whose tasks exceed the node's descriptors, processes or memory (TaskCapacity).
using Flux.Abstractions;
using Flux.Shell;
using Flux.Subprocess;

namespace Flux.Cli.Tests;

public sealed class TaskCapacityTests
{
    [Fact]
    public void Refusal_MillionTasksOn20000Descriptors_NamesTheDescriptorLimit()
    {
        var why = TaskCapacity.Refusal(1_000_000, pty: false, new ProcessLimits(20_000, long.MaxValue, 64L << 30), () => 100);
        Assert.NotNull(why);
        Assert.Equal(24, why.Errnum);
        Assert.Equal("1000000 tasks on one node need 3000000 file descriptors, but the job shell may open only 14900 more (ulimit -n 20000, 100 open, a quarter kept for the broker)", why.Message);
    }

    [Fact]
    public void Refusal_TasksWithinEveryLimit_NoneAndSmallJobsDoNotCountDescriptors()
    {
        var counted = false;
        Assert.Null(TaskCapacity.Refusal(8, pty: false, new ProcessLimits(1024, 4096, 1L << 30), () =>
        {
            counted = true;
            return 10;
        }));
        Assert.False(counted, "an 8-task job should not pay for reading /proc/self/fd");
        Assert.Null(TaskCapacity.Refusal(4000, pty: true, new ProcessLimits(8192, 8192, 16L << 30), () => 500));
    }

    [Fact]
    public void Refusal_MoreTasksThanProcesses_NamesTheProcessLimit()
    {
        var why = TaskCapacity.Refusal(10_000, pty: false, new ProcessLimits(long.MaxValue, 4096, 64L << 30), () => 0);
        Assert.NotNull(why);
        Assert.Equal(Errno.EAGAIN, why.Errnum);
        Assert.Contains("the job shell may start only 3072", why.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_TaskTableBeyondHalfTheMemory_NamesTheMemory()
    {
        var why = TaskCapacity.Refusal(100_000, pty: false, new ProcessLimits(long.MaxValue, long.MaxValue, 8L << 30), () => 0);
        Assert.NotNull(why);
        Assert.Equal(Errno.ENOMEM, why.Errnum);
        Assert.Equal("100000 tasks on one node need about 15625 MiB for the job shell's task table, but it may use 4096 MiB (half of 8192 MiB)", why.Message);
    }
}
