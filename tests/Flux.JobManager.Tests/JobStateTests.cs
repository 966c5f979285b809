// job-manager drives a job through the RFC 21 states, one event at a time, and records them in order.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.JobManager.Tests;

public sealed class JobStateTests
{
    [Fact]
    public async Task Submit_EachStep_StateCountsAndEventlogFollowRfc21()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var arrived = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Sched.AllocArrived += id => arrived.TrySetResult(id);
        var id = await rig.SubmitAsync();

        // SCHED: validated, no dependencies, prioritized, waiting for the scheduler.
        Assert.Equal(id, await Await.Within(arrived.Task, "the alloc request of the job"));
        Assert.Equal(["submit", "validate", "depend", "priority"], await rig.Journal.UntilAsync(id, "priority"));
        Assert.Equal((1, 0), await rig.CountsAsync());

        // RUN: allocated, the exec service is asked to start it.
        await rig.Sched.GrantAsync(id);
        await rig.Exec.StartRequestedAsync(id);
        Assert.Equal("alloc", (await rig.Journal.UntilAsync(id, "alloc"))[^1]);
        Assert.Equal((1, 1), await rig.CountsAsync());

        // CLEANUP after finish: still running until exec releases the resources.
        await rig.Exec.StartedAsync(id);
        await rig.Exec.FinishedAsync(id, 0);
        Assert.Equal("finish", (await rig.Journal.UntilAsync(id, "finish"))[^1]);
        Assert.Equal((1, 1), await rig.CountsAsync());
        Assert.DoesNotContain(id, rig.Sched.Freed);

        // INACTIVE: released, freed, clean.
        await rig.Exec.ReleasedAsync(id);
        var all = await rig.Journal.UntilAsync(id, "clean");
        Assert.Equal(["submit", "validate", "depend", "priority", "alloc", "start", "finish", "release", "free", "clean"], all);
        Assert.Equal((0, 0), await rig.CountsAsync());
        await rig.Sched.FreedAsync(id);
        var result = await JobClient.WaitAsync(rig.H, id);
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        // The eventlog in the KVS is the journal's, event for event, once the job is inactive.
        Assert.Equal(all, await JobClient.EventNamesAsync(rig.H, id));
    }

    [Fact]
    public async Task Submit_QueueDisabled_RefusedAndItsKvsDataRemoved()
    {
        await using var rig = await JobManagerRig.StartAsync();
        await rig.H.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = false, ["reason"] = "maintenance" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync());
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("job submission is disabled: maintenance", ex.Message);
        Assert.Null(await rig.H.KvsGetStringAsync(Fluid.Encode(1, FluidEncoding.Kvs) + ".eventlog"));
    }

    [Fact]
    public async Task Exec_FinishStatus_WaitReportsExitCodeOrSignal()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var exited = await rig.SubmitAsync();
        await rig.RunAsync(exited, status: 3 << 8);
        var killed = await rig.SubmitAsync();
        await rig.RunAsync(killed, status: 9);
        var r1 = await JobClient.WaitAsync(rig.H, exited);
        Assert.False(r1["success"]!.GetValue<bool>());
        Assert.Equal("task(s) exited with exit code 3", r1["errstr"]!.GetValue<string>());
        Assert.Equal(3 << 8, r1["status"]!.GetValue<int>());
        var r2 = await JobClient.WaitAsync(rig.H, killed);
        Assert.Equal("task(s) Killed", r2["errstr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deny_RaisesAllocException()
    {
        await using var rig = await JobManagerRig.StartAsync();
        rig.Sched.DenyAll = true;
        var id = await rig.SubmitAsync();
        var r = await JobClient.WaitAsync(rig.H, id);
        Assert.False(r["success"]!.GetValue<bool>());
        Assert.Equal("Fatal exception type=alloc unsatisfiable request (test)", r["errstr"]!.GetValue<string>());
        Assert.DoesNotContain(id, rig.Sched.Allocated);
        Assert.False(rig.Exec.WasAsked(id));
    }
}
