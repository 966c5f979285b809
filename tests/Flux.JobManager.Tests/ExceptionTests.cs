// Exceptions (RFC 21): a fatal one in each state ends the job the way that state requires; a non-fatal one is only recorded.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.JobManager.Tests;

public sealed class ExceptionTests
{
    private static Task<JsonObject?> Raise(Flux.Client.Handle.FluxHandle h, ulong id, int severity = 0, string type = "cancel") =>
        h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = type, ["severity"] = severity, ["note"] = "test" });

    [Fact]
    public async Task Cancel_HeldInSched_CleanAtOnceWithoutScheduler()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var id = await rig.SubmitAsync(urgency: 0);
        await rig.Journal.UntilAsync(id, "priority");
        await Raise(rig.H, id);
        Assert.Equal(["submit", "validate", "depend", "priority", "exception", "clean"], await rig.Journal.UntilAsync(id, "clean"));
        var r = await JobClient.WaitAsync(rig.H, id);
        Assert.Equal("Fatal exception type=cancel test", r["errstr"]!.GetValue<string>());
        Assert.DoesNotContain(id, rig.Sched.Freed);
    }

    [Fact]
    public async Task Cancel_Running_WaitsForExecReleaseThenFrees()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var id = await rig.SubmitAsync();
        await rig.Exec.StartedAsync(id);
        await rig.Journal.UntilAsync(id, "start");
        await Raise(rig.H, id);
        await rig.Journal.UntilAsync(id, "exception");
        // CLEANUP: the resources stay with the job until the exec service lets them go.
        Assert.Equal((1, 1), await rig.CountsAsync());
        Assert.DoesNotContain("clean", rig.Journal.Names(id));
        await rig.Exec.FinishedAsync(id, 15);
        await rig.Exec.ReleasedAsync(id);
        var events = await rig.Journal.UntilAsync(id, "clean");
        Assert.Equal(["exception", "finish", "release", "free", "clean"], events.SkipWhile(e => e != "exception"));
        await rig.Sched.FreedAsync(id);
        Assert.False((await JobClient.WaitAsync(rig.H, id))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Raise_InCleanup_RecordedAndWaitReportsIt()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var id = await rig.SubmitAsync();
        await rig.Exec.StartedAsync(id);
        await rig.Exec.FinishedAsync(id, 0);
        await rig.Journal.UntilAsync(id, "finish");
        await Raise(rig.H, id, type: "timeout");
        await rig.Journal.UntilAsync(id, "exception");
        await rig.Exec.ReleasedAsync(id);
        Assert.Equal(["finish", "exception", "release", "free", "clean"], (await rig.Journal.UntilAsync(id, "clean")).SkipWhile(e => e != "finish"));
        Assert.Equal("Fatal exception type=timeout test", (await JobClient.WaitAsync(rig.H, id))["errstr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Raise_NonFatalWhileRunning_JobRunsOn()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var id = await rig.SubmitAsync();
        await rig.Exec.StartedAsync(id);
        await rig.Journal.UntilAsync(id, "start");
        await Raise(rig.H, id, severity: 3, type: "warning");
        Assert.Equal(["alloc", "start", "exception"], (await rig.Journal.UntilAsync(id, "exception")).TakeLast(3));
        Assert.Equal((1, 1), await rig.CountsAsync());
        await rig.Exec.FinishedAsync(id, 0);
        await rig.Exec.ReleasedAsync(id);
        await rig.Journal.UntilAsync(id, "clean");
        var r = await JobClient.WaitAsync(rig.H, id);
        Assert.True(r["success"]!.GetValue<bool>(), r.ToJsonString());
    }

    [Fact]
    public async Task Raise_InactiveBadSeverityBadTypeOrOthersJob_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync();
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var id = await rig.SubmitAsync();
        var severity = await Assert.ThrowsAsync<FluxException>(() => Raise(rig.H, id, severity: 8));
        Assert.Equal("severity must be from 0 to 7", severity.Message);
        var type = await Assert.ThrowsAsync<FluxException>(() => Raise(rig.H, id, type: "two words"));
        Assert.Equal("exception type must be a non-empty word", type.Message);
        var others = await Assert.ThrowsAsync<FluxException>(() => Raise(guest, id));
        Assert.Equal(Errno.EPERM, others.Errnum);
        await rig.RunAsync(id);
        var inactive = await Assert.ThrowsAsync<FluxException>(() => Raise(rig.H, id));
        Assert.Equal(Errno.EINVAL, inactive.Errnum);
        Assert.Equal("job is inactive", inactive.Message);
    }
}
