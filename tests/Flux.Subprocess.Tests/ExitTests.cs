// Exit statuses, failed starts, signals and process-group delivery of TaskProcess.
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

public sealed class ExitTests
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    [Fact]
    public async Task Start_True_ExitsZero()
    {
        var result = await RunAsync(Command("true"));

        Assert.Equal(0, result.Status);
        Assert.True(WaitStatus.IsExited(result.Status));
        Assert.Equal(0, WaitStatus.FluxExitCode(result.Status));
    }

    [Fact]
    public async Task Start_ExitThree_ReportsExitStatus()
    {
        var result = await RunAsync(Shell("exit 3"));

        Assert.Equal(3 << 8, result.Status);
        Assert.True(WaitStatus.IsExited(result.Status));
        Assert.False(WaitStatus.IsSignaled(result.Status));
        Assert.Equal(3, WaitStatus.ExitStatus(result.Status));
        Assert.Equal(3, WaitStatus.FluxExitCode(result.Status));
    }

    [Fact]
    public async Task Start_MissingCommand_FailsWith127AndError()
    {
        using var task = TaskProcess.Start(Command("flux-no-such-command", "arg"));

        Assert.Equal("flux-no-such-command: No such file or directory", task.StartError);
        Assert.Equal(2, task.StartErrno);
        Assert.Equal(0, task.Pid);
        Assert.Null(task.Stdout);
        Assert.Null(task.Stderr);
        var status = await Await.Within(task.Exited, "status of a task that failed to start");
        Assert.Equal(127, WaitStatus.FluxExitCode(status));
        Assert.False(task.Signal(SIGTERM));
    }

    [Fact]
    public async Task Start_MissingAbsolutePath_FailsWith127()
    {
        using var task = TaskProcess.Start(Command("/nonexistent/flux-prog"));

        Assert.Equal("/nonexistent/flux-prog: No such file or directory", task.StartError);
        Assert.Equal(127, WaitStatus.FluxExitCode(await Await.Within(task.Exited, "status of a failed start")));
    }

    [Fact]
    public async Task Start_FileWithoutExecuteBit_FailsWith126()
    {
        using var dir = new TempDir();
        var script = dir.Write("script", "#!/bin/sh\necho no\n");

        using var byPath = TaskProcess.Start(Command(script));
        using var bySearch = TaskProcess.Start(new TaskStartInfo { Arguments = ["script"], Environment = [$"PATH={dir.Path}"] });

        Assert.Equal($"{script}: Permission denied", byPath.StartError);
        Assert.Equal("script: Permission denied", bySearch.StartError);
        Assert.Equal(126, WaitStatus.FluxExitCode(await Await.Within(byPath.Exited, "status of a failed start")));
        Assert.Equal(126, WaitStatus.FluxExitCode(await Await.Within(bySearch.Exited, "status of a failed start")));
    }

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGKILL)]
    public async Task Signal_RunningTask_ReportsSignaledStatus(int signum)
    {
        using var task = TaskProcess.Start(Command("sleep", "100"));

        Assert.True(task.Signal(signum));
        var result = await CollectAsync(task, "sleep 100");

        Assert.True(WaitStatus.IsSignaled(result.Status));
        Assert.False(WaitStatus.IsExited(result.Status));
        Assert.Equal(signum, WaitStatus.TermSignal(result.Status));
        Assert.Equal(128 + signum, WaitStatus.FluxExitCode(result.Status));
    }

    [Fact]
    public async Task Signal_ExitedTask_ReturnsFalse()
    {
        using var task = TaskProcess.Start(Command("true"));
        await CollectAsync(task, "true");

        Assert.False(task.Signal(SIGTERM));
        Assert.False(task.Signal(0));
    }

    [Fact]
    public async Task Signal_TaskWithBackgroundChild_KillsWholeGroup()
    {
        using var task = TaskProcess.Start(Shell("sleep 100 & echo $!; wait"));
        var stdout = task.Stdout!;
        var sleeper = int.Parse(await Await.Within(ReadLineAsync(stdout), "pid of the background sleep"));
        Assert.True(sleeper > 0);

        Assert.True(task.Signal(SIGTERM));

        var status = await Await.Within(task.Exited, "exit of the shell");
        Assert.Equal(SIGTERM, WaitStatus.TermSignal(status));
        // The background sleep shares the shell's stdout: end of file means it is gone too.
        await Await.Within(ReadToEndAsync(stdout), $"the background sleep {sleeper} to die and close stdout");
    }

    [Fact]
    public async Task Dispose_RunningTask_KillsIt()
    {
        var task = TaskProcess.Start(Command("sleep", "100"));

        task.Dispose();

        var status = await Await.Within(task.Exited, "exit of a disposed task");
        Assert.Equal(SIGKILL, WaitStatus.TermSignal(status));
    }

    [Fact]
    public async Task Start_Pipeline_SigpipeHasDefaultAction()
    {
        // With SIGPIPE ignored (the .NET runtime's setting), yes would get EPIPE and complain.
        var result = await RunAsync(Shell("yes | head -1"));

        Assert.Equal(0, result.Status);
        Assert.Equal("y\n", result.StdoutText);
        Assert.Equal("", result.StderrText);
    }

    [Fact]
    public async Task Start_SignalState_NothingIgnoredOrBlocked()
    {
        var result = await RunAsync(Command("cat", "/proc/self/status"));

        var lines = result.StdoutText.Split('\n');
        Assert.Contains("SigIgn:\t0000000000000000", lines);
        Assert.Contains("SigBlk:\t0000000000000000", lines);
    }

    [Fact]
    public void Start_EmptyArguments_Throws()
    {
        Assert.Throws<ArgumentException>(() => TaskProcess.Start(new TaskStartInfo { Arguments = [], Environment = [] }));
        Assert.Throws<ArgumentException>(() => TaskProcess.Start(new TaskStartInfo { Arguments = ["a\0b"], Environment = [] }));
    }
}
