// Named queues (RFC 33) in job-manager as flux-core's queue.c has them: stopped at first, refusals in
// its words, per-queue and --all switches, status, list, alloc-query, and stop canceling pending allocs.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.JobManager.Tests;

public sealed class QueueTests
{
    private const string TwoQueues = "[queues.debug]\n[queues.batch]\n";

    private static async Task<JsonObject> StatusAsync(JobManagerRig rig, string? name = null) =>
        (await rig.H.RpcAsync("job-manager.queue-status", name is null ? [] : new JsonObject { ["name"] = name }))!;

    [Fact]
    public async Task Configure_NamedQueues_EnabledButStopped()
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        var debug = await StatusAsync(rig, "debug");
        Assert.True(debug["enable"]!.GetValue<bool>());
        Assert.False(debug["start"]!.GetValue<bool>());
        Assert.False(debug.ContainsKey("stop_reason"));
        var list = await rig.H.RpcAsync("job-manager.queue-list");
        Assert.Equal(["batch", "debug"], list!["queues"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Configure_AnonymousQueue_StartedAndUnlisted()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var status = await StatusAsync(rig);
        Assert.True(status["start"]!.GetValue<bool>());
        Assert.Empty((await rig.H.RpcAsync("job-manager.queue-list"))!["queues"]!.AsArray());
    }

    [Theory]
    [InlineData(null, "a named queue is required")]
    [InlineData("nosuch", "'nosuch' is not a valid queue")]
    public async Task Submit_NamedQueuesWithoutAValidOne_RefusedAsFluxCore(string? queue, string message)
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(queue: queue));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Submit_QueueNamedWithoutQueuesConfigured_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(queue: "batch"));
        Assert.Equal("'batch' is not a valid queue", ex.Message);
    }

    [Fact]
    public async Task Submit_NamedQueueDisabled_RefusedWithQueueAndReason()
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        await rig.H.RpcAsync("job-manager.queue-enable", new JsonObject { ["name"] = "debug", ["enable"] = false, ["reason"] = "maintenance" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(queue: "debug"));
        Assert.Equal("job submission to debug is disabled: maintenance", ex.Message);
        await rig.SubmitAsync(queue: "batch");
    }

    [Fact]
    public async Task Enable_DisableWithoutReason_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = false }));
        Assert.Equal("reason is required for disable", ex.Message);
    }

    [Theory]
    [InlineData("queue-enable", "enable")]
    [InlineData("queue-start", "start")]
    public async Task Switch_NamedQueuesNoNameNoAll_AsksForAll(string method, string field)
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager." + method, new JsonObject { [field] = true }));
        Assert.Equal("Use --all to apply this command to all queues", ex.Message);
        await rig.H.RpcAsync("job-manager." + method, new JsonObject { [field] = true, ["all"] = true });
        Assert.True((await StatusAsync(rig, "batch"))[field]!.GetValue<bool>());
        Assert.True((await StatusAsync(rig, "debug"))[field]!.GetValue<bool>());
    }

    [Fact]
    public async Task Start_OneQueue_OnlyItsJobsAllocated()
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        var debugJob = await rig.SubmitAsync(queue: "debug");
        var batchJob = await rig.SubmitAsync(queue: "batch");
        await rig.H.RpcAsync("job-manager.queue-start", new JsonObject { ["name"] = "batch", ["start"] = true });
        await rig.RunAsync(batchJob);
        Assert.DoesNotContain(debugJob, rig.Sched.Allocated);
        var query = (await rig.H.RpcAsync("job-manager.alloc-query"))!;
        Assert.Equal(0, query["queue_length"]!.GetValue<int>());
        await rig.H.RpcAsync("job-manager.queue-start", new JsonObject { ["name"] = "debug", ["start"] = true });
        await rig.RunAsync(debugJob);
    }

    [Fact]
    public async Task Stop_AllocPendingAtScheduler_CanceledAndHeldUntilStart()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var first = NextAllocAsync(rig);
        var id = await rig.SubmitAsync();
        Assert.Equal(id, await first);
        Assert.Equal(1, (await rig.H.RpcAsync("job-manager.alloc-query"))!["alloc_pending"]!.GetValue<int>());
        await rig.H.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = false, ["reason"] = "maintenance" });
        await rig.Sched.CancelRequestedAsync(id);
        var status = await StatusAsync(rig);
        Assert.Equal("maintenance", status["stop_reason"]!.GetValue<string>());
        var again = NextAllocAsync(rig);
        await rig.H.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = true });
        Assert.Equal(id, await again);
        await rig.Sched.GrantAsync(id);
        await rig.RunAsync(id);
    }

    [Fact]
    public async Task Stop_WithoutReason_NoStopReason()
    {
        await using var rig = await JobManagerRig.StartAsync();
        await rig.H.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = false });
        var status = await StatusAsync(rig);
        Assert.False(status["start"]!.GetValue<bool>());
        Assert.False(status.ContainsKey("stop_reason"));
    }

    [Fact]
    public async Task Status_UnknownQueue_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync(TwoQueues);
        var ex = await Assert.ThrowsAsync<FluxException>(() => StatusAsync(rig, "nosuch"));
        Assert.Equal("'nosuch' is not a valid queue", ex.Message);
    }

    [Fact]
    public async Task Status_NoScheduler_StoppedBecauseSchedulerOffline()
    {
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = JobManagerRig.Modules });
        await using var h = await inst.ConnectAsync();
        var status = (await h.RpcAsync("job-manager.queue-status"))!;
        Assert.False(status["start"]!.GetValue<bool>());
        Assert.Equal("Scheduler is offline", status["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_NamedQueueStartedAndOneStoppedWithoutCheckpoint_StartedStateKept()
    {
        var statedir = TempDirs.Create("flux-jm-queues-");
        try
        {
            var options = new InstanceOptions { Modules = JobManagerRig.Modules, Config = TwoQueues, Statedir = statedir };
            await using (var inst = await TestInstance.StartAsync(options))
            {
                await using var h = await inst.ConnectAsync();
                await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = true, ["all"] = true });
                await h.RpcAsync("job-manager.queue-start", new JsonObject { ["name"] = "debug", ["start"] = false, ["nocheckpoint"] = true });
                await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["name"] = "batch", ["enable"] = false, ["reason"] = "full" });
            }
            await using (var inst = await TestInstance.StartAsync(options))
            {
                await using var h = await inst.ConnectAsync();
                await ScriptedScheduler.StartAsync(h);
                var batch = (await h.RpcAsync("job-manager.queue-status", new JsonObject { ["name"] = "batch" }))!;
                var debug = (await h.RpcAsync("job-manager.queue-status", new JsonObject { ["name"] = "debug" }))!;
                Assert.True(batch["start"]!.GetValue<bool>());
                Assert.Equal("full", batch["disable_reason"]!.GetValue<string>());
                Assert.True(debug["start"]!.GetValue<bool>());
            }
        }
        finally
        {
            Directory.Delete(statedir, recursive: true);
        }
    }

    // The id of the next sched.alloc request the scripted scheduler holds.
    private static Task<ulong> NextAllocAsync(JobManagerRig rig)
    {
        var arrived = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnArrived(ulong a)
        {
            rig.Sched.AllocArrived -= OnArrived;
            arrived.TrySetResult(a);
        }
        rig.Sched.AllocArrived += OnArrived;
        return Await.Within(arrived.Task, "a sched.alloc request");
    }
}
