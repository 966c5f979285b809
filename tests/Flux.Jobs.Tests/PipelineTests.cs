// The job pipeline end to end in one process: states and eventlogs (RFC 21), urgency, cancel,
// queues, access, restart. job-ingest's and job-manager's own cases are in their test projects.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobs.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task Submit_RunsToInactive_WithEveryRfc21Event()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await ScriptedScheduler.StartAsync(h);
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var result = await JobClient.WaitAsync(h, id);
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(["submit", "validate", "depend", "priority", "alloc", "start", "finish", "release", "free", "clean"],
            await JobClient.EventNamesAsync(h, id));
    }

    [Fact]
    public async Task Hold_NeverAllocated_UntilUrgencyRaised()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        var held = await JobClient.SubmitAsync(h, JobClient.Job(), urgency: 0);
        var other = await JobClient.SubmitAsync(h, JobClient.Job());
        await JobClient.WaitAsync(h, other);
        Assert.DoesNotContain(held, sched.Allocated);
        var events = await JobClient.EventNamesAsync(h, held);
        Assert.Equal("priority", events[^1]);
        await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = held, ["urgency"] = 16 });
        var result = await JobClient.WaitAsync(h, held);
        Assert.True(result["success"]!.GetValue<bool>());
        Assert.Contains("urgency", await JobClient.EventNamesAsync(h, held));
    }

    [Fact]
    public async Task Cancel_PendingAndRunning_EndWithCancelException()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        sched.AutoGrant = false;
        var arrived = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        sched.AllocArrived += id => arrived.TrySetResult(id);
        var pending = await JobClient.SubmitAsync(h, JobClient.Job());
        Assert.Equal(pending, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = pending, ["type"] = "cancel", ["severity"] = 0, ["note"] = "test" });
        var r1 = await JobClient.WaitAsync(h, pending);
        Assert.False(r1["success"]!.GetValue<bool>());
        Assert.Contains("type=cancel", r1["errstr"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("alloc", await JobClient.EventNamesAsync(h, pending));

        sched.AutoGrant = true;
        var running = await JobClient.SubmitAsync(h, JobClient.Job(runSeconds: 3600));
        await JobClient.WaitForEventAsync(h, running, "start");
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = running, ["type"] = "cancel", ["severity"] = 0 });
        var r2 = await JobClient.WaitAsync(h, running);
        Assert.False(r2["success"]!.GetValue<bool>());
        var events = await JobClient.EventNamesAsync(h, running);
        Assert.Equal(["exception", "finish", "release", "free", "clean"], events.SkipWhile(e => e != "exception"));
        Assert.Contains(running, sched.Freed);
    }

    [Fact]
    public async Task Queue_DisableRefusesSubmission_StopHoldsScheduling()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = false, ["reason"] = "maintenance" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job()));
        Assert.Equal("job submission is disabled: maintenance", ex.Message);
        await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = true });

        await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = false, ["reason"] = "draining" });
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var status = await h.RpcAsync("job-manager.queue-status");
        Assert.False(status!["queues"]![0]!["start"]!.GetValue<bool>());
        Assert.Equal("draining", status["queues"]![0]!["stop_reason"]!.GetValue<string>());
        Assert.DoesNotContain(id, sched.Allocated);
        await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = true });
        await JobClient.WaitAsync(h, id);
        Assert.Contains(id, sched.Allocated);
    }

    [Fact]
    public async Task Guest_CannotForgeSignerOrCancelOthersJobs()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var sched = await ScriptedScheduler.StartAsync(owner);
        sched.AutoGrant = false;
        var forged = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(guest, JobClient.Job()));
        Assert.Equal(Errno.EPERM, forged.Errnum);
        var ownerJob = await JobClient.SubmitAsync(owner, JobClient.Job());
        var guestJob = await JobClient.SubmitAsync(guest, JobClient.Job(), signer: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.raise", new JsonObject { ["id"] = ownerJob, ["severity"] = 0 }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        await guest.RpcAsync("job-manager.raise", new JsonObject { ["id"] = guestJob, ["severity"] = 0 });
        await JobClient.WaitAsync(guest, guestJob);
        var exp = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = ownerJob, ["urgency"] = 31 }));
        Assert.Equal(Errno.EPERM, exp.Errnum);
    }

    [Fact]
    public async Task Restart_KeepsPendingJobsAndHistory()
    {
        ulong done;
        ulong pending;
        var state = TempDirs.Create("flux-jobs-state-");
        var conf = TempDirs.Create("flux-jobs-conf-");
        await using (var inst = await PipelineInstance.StartAsync(stateDir: state, confDir: conf))
        {
            await using var h = await inst.ConnectAsync();
            var sched = await ScriptedScheduler.StartAsync(h);
            done = await JobClient.SubmitAsync(h, JobClient.Job());
            await JobClient.WaitAsync(h, done);
            pending = await JobClient.SubmitAsync(h, JobClient.Job(), urgency: 0);
            await JobClient.WaitForEventAsync(h, pending, "priority");
        }
        await using (var again = await PipelineInstance.StartAsync(stateDir: state, confDir: conf))
        {
            await using var h = await again.ConnectAsync();
            var events = await JobClient.EventNamesAsync(h, pending);
            Assert.Contains("flux-restart", events);
            var history = await JobClient.WaitAsync(h, done);
            Assert.True(history["success"]!.GetValue<bool>());
            await ScriptedScheduler.StartAsync(h);
            await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = pending, ["urgency"] = 16 });
            var r = await JobClient.WaitAsync(h, pending);
            Assert.True(r["success"]!.GetValue<bool>());
            var next = await h.RpcAsync("job-manager.getinfo");
            Assert.True(next!["max_jobid"]!.GetValue<ulong>() >= pending);
        }
    }
}
