// Every command that waits ends on Ctrl-C (SIGINT) and SIGTERM, promptly, with the conventional status;
// attach of a job that does not exist or has ended does not wait at all.
namespace Flux.EndToEnd.Tests;

public sealed class CliSignalEndToEndTests
{
    // How long a signalled command may take to end: generous for 2 loaded cores, far below a hang.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string> WaitingCommands() => new()
    {
        { "queue drain", "INT" }, { "queue drain", "TERM" },
        { "kvs wait 1000000", "INT" }, { "kvs wait 1000000", "TERM" },
        { "job wait-event HELD start", "INT" }, { "job wait-event HELD start", "TERM" },
        { "job status HELD", "INT" }, { "job status HELD", "TERM" },
        { "job wait HELD", "INT" }, { "job wait HELD", "TERM" },
        { "job eventlog -F HELD", "INT" }, { "job eventlog -F HELD", "TERM" },
        { "kvs get --waitcreate no.such.key", "INT" }, { "kvs get --waitcreate no.such.key", "TERM" },
        { "submit --wait --urgency=hold true", "INT" }, { "submit --wait --urgency=hold true", "TERM" },
    };

    [Theory]
    [MemberData(nameof(WaitingCommands))]
    public async Task WaitingCommand_Signal_EndsWith128PlusSignal(string command, string signal)
    {
        await using var inst = await LiveInstance.StartAsync();
        var held = await inst.RunAsync("submit", "--urgency=hold", "true");
        Assert.True(held.ExitCode == 0, held.ToString());
        using var cmd = inst.Start(command.Replace("HELD", held.Stdout.Trim(), StringComparison.Ordinal).Split(' '));
        await cmd.ConnectedAsync();
        cmd.Signal(signal);
        var r = await cmd.EndedAsync(Promptly);
        // Ended by the signal, as a C command of flux-core is: the shell sees 128+N.
        Assert.True(r.ExitCode == (signal == "INT" ? 130 : 143), r.ToString());
    }

    [Fact]
    public async Task Attach_UnknownJob_EndsWithNotFound()
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync("job", "attach", "123");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("flux-job: job 123 not found\n", r.Stderr);
        var eventlog = await inst.RunAsync("job", "eventlog", "123");
        Assert.Equal(r.Stderr, eventlog.Stderr);
    }

    [Fact]
    public async Task Attach_FinishedJob_PrintsItsOutputAndEnds()
    {
        await using var inst = await LiveInstance.StartAsync();
        var id = (await inst.RunAsync("submit", "sh", "-c", "echo out; exit 3")).Stdout.Trim();
        Assert.Equal(0, (await inst.RunAsync("job", "wait-event", id, "clean")).ExitCode);
        var r = await inst.RunAsync("job", "attach", id);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
    }

    [Fact]
    public async Task Attach_PendingJob_SigtermEndsTheWaitAndLeavesTheJob()
    {
        await using var inst = await LiveInstance.StartAsync();
        var id = (await inst.RunAsync("submit", "--urgency=hold", "true")).Stdout.Trim();
        using var attach = inst.Start("job", "attach", "-E", id);
        await attach.StderrContainsAsync("job.submit");
        attach.Signal("TERM");
        var r = await attach.EndedAsync(Promptly);
        Assert.True(r.ExitCode == 143, r.ToString());
        Assert.Contains("flux-job: kill: job is not running", r.Stderr, StringComparison.Ordinal);
        var jobs = await inst.RunAsync("jobs", "-n", "-o", "{state}", id);
        Assert.Equal("SCHED\n", jobs.Stdout);
    }

    [Fact]
    public async Task Run_PendingJob_CtrlCTwiceCancelsItAndEnds()
    {
        await using var inst = await LiveInstance.StartAsync();
        using var run = inst.Start("run", "-v", "--urgency=hold", "true");
        await run.StderrContainsAsync("job.submit");
        run.Signal("INT");
        await run.StderrContainsAsync("one more ctrl-C within 2s to cancel");
        run.Signal("INT");
        var r = await run.EndedAsync(Promptly);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("job.exception type=cancel severity=0 interrupted by user", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RunningJob_SigintGoesToTheTasks()
    {
        await using var inst = await LiveInstance.StartAsync();
        using var run = inst.Start("run", "-v", "sleep", "300");
        await run.StderrContainsAsync("job.start");
        run.Signal("INT");
        var r = await run.EndedAsync(Promptly);
        Assert.True(r.ExitCode == 130, r.ToString());
    }

    [Fact]
    public async Task Run_TasksIgnoringSigterm_SecondSigtermEndsTheWait()
    {
        await using var inst = await LiveInstance.StartAsync();
        using var run = inst.Start("run", "-v", "sh", "-c", "trap '' TERM; echo trapped >&2; sleep 300");
        await run.StderrContainsAsync("trapped");
        run.Signal("TERM");
        // The second one only once the first was taken: two pending SIGTERMs are one.
        await run.SignalTakenAsync(15);
        run.Signal("TERM");
        var r = await run.EndedAsync(Promptly);
        Assert.True(r.ExitCode == 143, r.ToString());
        Assert.Contains("flux-run: terminated: no longer waiting for job", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await inst.RunAsync("cancel", "--all")).ExitCode);
    }

    [Fact]
    public async Task Run_JobFailingBeforeItStarts_ExitsAsJobStatus()
    {
        await using var inst = await LiveInstance.StartAsync();
        var run = await inst.RunAsync("run", "-n", "1000000", "true");
        var status = await inst.RunAsync("job", "status", (await inst.RunAsync("job", "last")).Stdout.Trim());
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Equal(status.ExitCode, run.ExitCode);
    }
}
