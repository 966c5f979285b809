// The job pipeline end to end in one process: states and eventlogs (RFC 21), urgency, cancel,
// queues, policy, access, restart.
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
        var id = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        var result = await PipelineInstance.WaitAsync(h, id);
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(["submit", "validate", "depend", "priority", "alloc", "start", "finish", "release", "free", "clean"],
            await PipelineInstance.EventNamesAsync(h, id));
    }

    [Fact]
    public async Task Hold_NeverAllocated_UntilUrgencyRaised()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        var held = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job(), urgency: 0);
        var other = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        await PipelineInstance.WaitAsync(h, other);
        Assert.DoesNotContain(held, sched.Allocated);
        var events = await PipelineInstance.EventNamesAsync(h, held);
        Assert.Equal("priority", events[^1]);
        await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = held, ["urgency"] = 16 });
        var result = await PipelineInstance.WaitAsync(h, held);
        Assert.True(result["success"]!.GetValue<bool>());
        Assert.Contains("urgency", await PipelineInstance.EventNamesAsync(h, held));
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
        var pending = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        Assert.Equal(pending, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = pending, ["type"] = "cancel", ["severity"] = 0, ["note"] = "test" });
        var r1 = await PipelineInstance.WaitAsync(h, pending);
        Assert.False(r1["success"]!.GetValue<bool>());
        Assert.Contains("type=cancel", r1["errstr"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("alloc", await PipelineInstance.EventNamesAsync(h, pending));

        sched.AutoGrant = true;
        var running = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job(runSeconds: 3600));
        await WaitForEventAsync(h, running, "start");
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = running, ["type"] = "cancel", ["severity"] = 0 });
        var r2 = await PipelineInstance.WaitAsync(h, running);
        Assert.False(r2["success"]!.GetValue<bool>());
        var events = await PipelineInstance.EventNamesAsync(h, running);
        Assert.Equal(["exception", "finish", "release", "free", "clean"], events.SkipWhile(e => e != "exception"));
        Assert.Contains(running, sched.Freed);
    }

    [Fact]
    public async Task Deny_RaisesAllocException()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        sched.DenyAll = true;
        var id = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        var r = await PipelineInstance.WaitAsync(h, id);
        Assert.False(r["success"]!.GetValue<bool>());
        Assert.Equal("Fatal exception type=alloc unsatisfiable request (test)", r["errstr"]!.GetValue<string>());
        Assert.DoesNotContain(id, sched.Allocated);
    }

    [Fact]
    public async Task Queue_DisableRefusesSubmission_StopHoldsScheduling()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var sched = await ScriptedScheduler.StartAsync(h);
        await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = false, ["reason"] = "maintenance" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => PipelineInstance.SubmitAsync(h, PipelineInstance.Job()));
        Assert.Equal("job submission is disabled: maintenance", ex.Message);
        await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = true });

        await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = false, ["reason"] = "draining" });
        var id = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        var status = await h.RpcAsync("job-manager.queue-status");
        Assert.False(status!["queues"]![0]!["start"]!.GetValue<bool>());
        Assert.Equal("draining", status["queues"]![0]!["stop_reason"]!.GetValue<string>());
        Assert.DoesNotContain(id, sched.Allocated);
        await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = true });
        await PipelineInstance.WaitAsync(h, id);
        Assert.Contains(id, sched.Allocated);
    }

    [Fact]
    public async Task Policy_DurationLimit_RejectsWithClearError()
    {
        await using var inst = await PipelineInstance.StartAsync("[policy.limits]\nduration = \"1h\"\n[policy.jobspec.defaults.system]\nduration = \"10m\"\n");
        await using var h = await inst.ConnectAsync();
        await ScriptedScheduler.StartAsync(h);
        var ex = await Assert.ThrowsAsync<FluxException>(() => PipelineInstance.SubmitAsync(h, PipelineInstance.Job().Duration(7200)));
        Assert.Equal("requested duration 2h exceeds policy limit of 1h", ex.Message);
        var id = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
        var jobspec = JsonNode.Parse((await Flux.Abstractions.Kvs.KvsExtensions.KvsGetStringAsync(h, Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!);
        Assert.Equal(600, jobspec!["attributes"]!["system"]!["duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Jobspec_Invalid_RejectedWithPath()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var bad = new JsonObject { ["version"] = 1, ["resources"] = new JsonArray(), ["tasks"] = new JsonArray(), ["attributes"] = new JsonObject { ["system"] = new JsonObject { ["duration"] = 0 } } };
        var j = SignedJob.Wrap(bad.ToJsonString(), Flux.Client.Connectors.PeerCredentials.CurrentUid);
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("resources", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guest_CannotForgeSignerOrCancelOthersJobs()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var sched = await ScriptedScheduler.StartAsync(owner);
        sched.AutoGrant = false;
        var forged = await Assert.ThrowsAsync<FluxException>(() => PipelineInstance.SubmitAsync(guest, PipelineInstance.Job()));
        Assert.Equal(Errno.EPERM, forged.Errnum);
        var ownerJob = await PipelineInstance.SubmitAsync(owner, PipelineInstance.Job());
        var guestJob = await PipelineInstance.SubmitAsync(guest, PipelineInstance.Job(), signer: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.raise", new JsonObject { ["id"] = ownerJob, ["severity"] = 0 }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        await guest.RpcAsync("job-manager.raise", new JsonObject { ["id"] = guestJob, ["severity"] = 0 });
        await PipelineInstance.WaitAsync(guest, guestJob);
        var exp = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = ownerJob, ["urgency"] = 31 }));
        Assert.Equal(Errno.EPERM, exp.Errnum);
    }

    [Fact]
    public async Task Restart_KeepsPendingJobsAndHistory()
    {
        ulong done;
        ulong pending;
        string state;
        string conf;
        await using (var inst = await PipelineInstance.StartAsync())
        {
            state = inst.StateDir;
            conf = inst.ConfDir;
            await using var h = await inst.ConnectAsync();
            var sched = await ScriptedScheduler.StartAsync(h);
            done = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job());
            await PipelineInstance.WaitAsync(h, done);
            pending = await PipelineInstance.SubmitAsync(h, PipelineInstance.Job(), urgency: 0);
            await WaitForEventAsync(h, pending, "priority");
        }
        await using (var again = await PipelineInstance.StartAsync(stateDir: state, confDir: conf))
        {
            await using var h = await again.ConnectAsync();
            var events = await PipelineInstance.EventNamesAsync(h, pending);
            Assert.Contains("flux-restart", events);
            var history = await PipelineInstance.WaitAsync(h, done);
            Assert.True(history["success"]!.GetValue<bool>());
            await ScriptedScheduler.StartAsync(h);
            await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = pending, ["urgency"] = 16 });
            var r = await PipelineInstance.WaitAsync(h, pending);
            Assert.True(r["success"]!.GetValue<bool>());
            var next = await h.RpcAsync("job-manager.getinfo");
            Assert.True(next!["max_jobid"]!.GetValue<ulong>() >= pending);
        }
    }

    private static async Task WaitForEventAsync(Flux.Client.Handle.FluxHandle h, ulong id, string name)
    {
        var journal = Message.Request("job-manager.events-journal", new JsonObject());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var m in h.StreamAsync(journal, cts.Token))
        {
            var o = m.GetJson();
            if (o["id"]!.GetValue<long>() == (long)id && o["events"]!.AsArray().Any(e => e!["name"]!.GetValue<string>() == name))
            {
                return;
            }
        }
    }
}
