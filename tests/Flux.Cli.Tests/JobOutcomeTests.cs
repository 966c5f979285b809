// flux job status / submit --wait read a job's result from its eventlog as flux-core's flux_job_result does.
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Tests;

public sealed class JobOutcomeTests
{
    // flux-core-0.88-traces/job-status.trace: the eventlog-watch responses of a finished `true` job.
    private static readonly string[] Completed =
    [
        "{\"timestamp\":1796557775.589901,\"name\":\"submit\",\"context\":{\"userid\":0,\"urgency\":16,\"flags\":0,\"version\":1}}\n",
        "{\"timestamp\":1796557775.6257124,\"name\":\"alloc\",\"context\":{\"annotations\":{\"sched\":{\"resource_summary\":\"rank0/core0\"}}}}\n",
        "{\"timestamp\":1796557775.6391165,\"name\":\"start\"}\n",
        "{\"timestamp\":1796557775.7123718,\"name\":\"finish\",\"context\":{\"status\":0}}\n",
        "{\"timestamp\":1796557775.7265306,\"name\":\"clean\"}\n",
    ];

    private static JobOutcome Of(params string[] lines)
    {
        var o = new JobOutcome(34510733312);
        foreach (var l in lines)
        {
            o.Add(Eventlog.ParseEntry(l));
        }
        return o;
    }

    [Fact]
    public void Add_FluxCoreFinishedJob_IsCompletedExitZero()
    {
        var o = Of(Completed);
        Assert.Equal(JobResult.Completed, o.Result);
        Assert.True(o.Success);
        Assert.Equal(0, o.ExitCode);
        Assert.Null(o.ErrorText);
        // flux job status --json: flux-core's result object keys (src/common/libjob/result.c).
        Assert.Equal("{\"id\":34510733312,\"exception_occurred\":false,\"t_submit\":1796557775.589901,\"t_run\":1796557775.6257124,\"t_cleanup\":1796557775.7123718,\"waitstatus\":0,\"result\":1}", o.ToJson().ToJsonString());
    }

    [Fact]
    public void Add_CanceledBeforeAlloc_IsCanceledNoWaitStatus()
    {
        var o = Of(Completed[0],
            "{\"timestamp\":2e9,\"name\":\"exception\",\"context\":{\"type\":\"cancel\",\"severity\":0,\"note\":\"\"}}\n",
            "{\"timestamp\":2e9,\"name\":\"clean\"}\n");
        Assert.Equal(JobResult.Canceled, o.Result);
        Assert.True(o.FatalException);
        Assert.False(o.Success);
        // flux-core's status_to_exitcode of no status is 0; flux job status adds the exception code.
        Assert.Equal(0, o.ExitCode);
        Assert.Equal("Fatal exception type=cancel", o.ErrorText);
    }

    [Fact]
    public void Add_ExitCodeAndSignal_AreShellExitCodes()
    {
        Assert.Equal(3, Of(Completed[0], Completed[1], "{\"timestamp\":2e9,\"name\":\"finish\",\"context\":{\"status\":768}}\n").ExitCode);
        var killed = Of(Completed[0], Completed[1], "{\"timestamp\":2e9,\"name\":\"finish\",\"context\":{\"status\":9}}\n");
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(JobResult.Failed, killed.Result);
        Assert.Equal("task(s) Killed", killed.ErrorText);
    }

    [Fact]
    public void Add_LaterLessSevereException_DoesNotReplaceAMoreSevereOne()
    {
        // flux-core (job_result_handle_exception) keeps an earlier exception of severity 1..N-1 over a later, less
        // severe one; a more severe one (severity 0) replaces it.
        var o = Of(Completed[0],
            "{\"timestamp\":2e9,\"name\":\"exception\",\"context\":{\"type\":\"test\",\"severity\":1,\"note\":\"a\"}}\n",
            "{\"timestamp\":2e9,\"name\":\"exception\",\"context\":{\"type\":\"other\",\"severity\":3,\"note\":\"c\"}}\n");
        Assert.Equal("test", o.ExceptionType);
        Assert.Equal(1, o.ExceptionSeverity);
        Assert.False(o.FatalException);
        o.Add(Eventlog.ParseEntry("{\"timestamp\":2e9,\"name\":\"exception\",\"context\":{\"type\":\"timeout\",\"severity\":0,\"note\":\"b\"}}\n"));
        Assert.Equal("timeout", o.ExceptionType);
        Assert.Equal(JobResult.Timeout, o.Result);
        Assert.True(o.FatalException);
    }
}
