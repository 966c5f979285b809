// Job states and results of job-list entries named through Flux.Formats, as flux-jobs(1) prints them.
using System.Text.Json.Nodes;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Tests;

public sealed class JobRecordTests
{
    private static JobRecord Job(int state, int? result = null)
    {
        var o = new JsonObject { ["id"] = 1, ["userid"] = 1000, ["state"] = state };
        if (result is { } r)
        {
            o["result"] = r;
        }
        return new JobRecord(o, uid => "u", 0);
    }

    [Theory]
    [InlineData(JobState.Depend, "DEPEND", "D")]
    [InlineData(JobState.Sched, "SCHED", "S")]
    [InlineData(JobState.Run, "RUN", "R")]
    [InlineData(JobState.Cleanup, "CLEANUP", "C")]
    public void Get_ActiveJob_StateAndStatusAreTheStateName(JobState state, string name, string letter)
    {
        var job = Job((int)state);
        Assert.Equal(state, job.StateId);
        Assert.Equal(name, job.Get("state"));
        Assert.Equal(letter, job.Get("state_single"));
        Assert.Equal(name, job.Get("status"));
        Assert.Equal("", job.Get("result"));
    }

    [Theory]
    [InlineData(JobResult.Completed, "COMPLETED", "CD")]
    [InlineData(JobResult.Failed, "FAILED", "F")]
    [InlineData(JobResult.Canceled, "CANCELED", "CA")]
    [InlineData(JobResult.Timeout, "TIMEOUT", "TO")]
    public void Get_InactiveJob_StatusIsTheResult(JobResult result, string name, string abbrev)
    {
        var job = Job((int)JobState.Inactive, (int)result);
        Assert.Equal("INACTIVE", job.Get("state"));
        Assert.Equal(name, job.Get("status"));
        Assert.Equal(abbrev, job.Get("status_abbrev"));
        Assert.Equal(abbrev, job.Get("result_abbrev"));
    }

    [Fact]
    public void Get_UnknownStateBits_AreUnknown()
    {
        var job = Job(3);
        Assert.Equal("(unknown)", job.Get("state"));
        Assert.Equal("?", job.Get("state_single"));
    }
}
