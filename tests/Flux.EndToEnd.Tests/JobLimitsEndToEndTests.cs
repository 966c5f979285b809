// Jobs at the edges: time limits past a .NET timer's range, more tasks than the node holds, settings
// nothing acts on. Each is run, or refused with a message, and the instance goes on.
namespace Flux.EndToEnd.Tests;

public sealed class JobLimitsEndToEndTests
{
    [Fact]
    public async Task Submit_FiftyAndThousandDayLimits_RunAndCancel()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", """
            flux run -t 50d sh -c 'echo fifty'; echo rc=$?
            flux run -t 1000d true; echo rc=$?
            id=$(flux submit -t 50d sleep 300)
            flux job wait-event $id start >/dev/null && flux cancel $id && flux job status $id; echo canceled=$?
            flux queue drain && echo drained
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("fifty\nrc=0\nrc=0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("canceled=143\ndrained\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_InfiniteLimit_RefusedAtSubmit()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "submit", "-t", "inf", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("flux-submit: duration must be a non-negative, finite number of seconds\n", r.Stderr);
    }

    [Fact]
    public async Task Run_MillionTasks_FailsWithAClearExceptionAndTheBrokerGoesOn()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux run -n 1000000 true; echo rc=$?; flux run echo alive");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("rc=1\nalive\n", r.Stdout, StringComparison.Ordinal);
        Assert.Matches("flux-run: job.exception type=exec severity=0 job shell failed: 1000000 tasks on one node need (3000000 file descriptors|as many processes|about [0-9]+ MiB)", r.Stderr);
    }

    [Fact]
    public async Task Submit_Dependency_AfterokWaitsThenRunsOrFails_UnknownSchemeRefused()
    {
        // .dependency-after (a builtin jobtap plugin) holds the job in DEPEND until its
        // predecessor ends; a scheme no plugin handles is refused at submit with flux-core's words.
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "a=$(flux submit sleep 300); b=$(flux submit --dependency=afterok:$a echo ran-b); " +
            "flux jobs -no {state} $b; flux cancel $a; flux job wait-event -t 60 $b clean >/dev/null; flux jobs -no {result} $b; " +
            "c=$(flux submit true); flux job wait-event -t 60 $c clean >/dev/null; flux run --dependency=afterok:$c echo ran-d; " +
            "flux submit --dependency=nosuch:$c true; echo rc=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("DEPEND\nFAILED\nran-d\nrc=1\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("flux-submit: dependency scheme \"nosuch\" not supported", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ShellOptionNotActedOn_RefusedByName()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux run -o stage-in true; echo rc=$?; flux jobs -a -n | wc -l");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("flux-run: -o stage-in: not supported yet\n", r.Stderr);
        Assert.Equal("rc=1\n0\n", r.Stdout);
    }

    [Fact]
    public async Task Start_LogFilename_RefusedWithWhatToDoInstead()
    {
        // content.restore and content.dump are acted on (ContentRestoreEndToEndTests, ContentDumpEndToEndTests); log-filename is not.
        var r = await FluxProcess.RunAsync("start", "-Slog-filename=/tmp/broker.log", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("attribute 'log-filename' is not supported by this build: the log is in flux dmesg and on stderr (log-stderr-level)", r.Stderr, StringComparison.Ordinal);
    }
}
