// Urgency (RFC 30 via priority-default): hold, expedite, changes while pending, and who may set what.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.JobManager.Tests;

public sealed class UrgencyTests
{
    private static Task<JsonObject?> Urgency(Flux.Client.Handle.FluxHandle h, ulong id, int urgency) =>
        h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = urgency });

    [Fact]
    public async Task Priority_HoldDefaultExpedite_ZeroUrgencyAndMaximum()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var held = await rig.SubmitAsync(urgency: 0);
        var normal = await rig.SubmitAsync(urgency: 16);
        var expedited = await rig.SubmitAsync(urgency: 31);
        await rig.Journal.UntilAsync(held, "priority");
        await rig.Journal.UntilAsync(normal, "priority");
        await rig.Journal.UntilAsync(expedited, "priority");
        Assert.Equal(0, rig.Journal.Context(held, "priority")!["priority"]!.GetValue<long>());
        Assert.Equal(16, rig.Journal.Context(normal, "priority")!["priority"]!.GetValue<long>());
        Assert.Equal(uint.MaxValue, rig.Journal.Context(expedited, "priority")!["priority"]!.GetValue<long>());
        // The held job is never offered to the scheduler.
        await rig.Sched.GrantAsync(normal);
        await rig.Sched.GrantAsync(expedited);
        await rig.Journal.UntilAsync(expedited, "alloc");
        await rig.Journal.UntilAsync(normal, "alloc");
        Assert.DoesNotContain(held, rig.Sched.Pending);
        Assert.DoesNotContain(held, rig.Sched.Allocated);
    }

    [Fact]
    public async Task Expedite_WhileOthersWait_AllocatedNextAheadOfOlderJobs()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false, mode: "limited", limit: 1);
        var order = new System.Collections.Concurrent.ConcurrentQueue<ulong>();
        rig.Sched.AllocArrived += order.Enqueue;
        var first = await rig.SubmitAsync();
        var older = await rig.SubmitAsync();
        var later = await rig.SubmitAsync();
        await rig.Journal.UntilAsync(later, "priority");
        var old = await Urgency(rig.H, later, 31);
        Assert.Equal(16, old!["old_urgency"]!.GetValue<int>());
        // The urgency change sends the job back through PRIORITY, with its new priority.
        Assert.Equal(["urgency", "priority"], (await rig.Journal.UntilAsync(later, "priority", count: 2)).TakeLast(2));
        await rig.Sched.GrantAsync(first);
        await rig.Journal.UntilAsync(first, "alloc");
        await rig.Sched.GrantAsync(later);
        await rig.Journal.UntilAsync(later, "alloc");
        await rig.Sched.GrantAsync(older);
        await rig.Journal.UntilAsync(older, "alloc");
        Assert.Equal(new[] { first, later, older }, order);
    }

    [Fact]
    public async Task Urgency_Hold_PendingAllocCanceledAndJobStaysPending()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var arrived = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Sched.AllocArrived += id => arrived.TrySetResult(id);
        var id = await rig.SubmitAsync();
        await Await.Within(arrived.Task, "the job's alloc request");
        await Urgency(rig.H, id, 0);
        await rig.Journal.UntilAsync(id, "priority", count: 2);
        Assert.Equal(0, rig.Journal.Context(id, "priority")!["priority"]!.GetValue<long>());
        // The pending alloc is canceled; the job waits in SCHED, held.
        await rig.Sched.CancelRequestedAsync(id);
        Assert.DoesNotContain(id, rig.Sched.Pending);
        Assert.Equal((1, 0), await rig.CountsAsync());
        Assert.DoesNotContain("alloc", rig.Journal.Names(id));
    }

    [Fact]
    public async Task Urgency_OutOfRangeGuestOrNotPending_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var mine = await rig.SubmitAsync(userid: 4242);
        var owners = await rig.SubmitAsync();
        var range = await Assert.ThrowsAsync<FluxException>(() => Urgency(rig.H, mine, 32));
        Assert.Equal(Errno.EINVAL, range.Errnum);
        Assert.Equal("urgency must be from 0 to 31, got 32", range.Message);
        var expedite = await Assert.ThrowsAsync<FluxException>(() => Urgency(guest, mine, 17));
        Assert.Equal(Errno.EPERM, expedite.Errnum);
        Assert.Equal("guests may only set urgency from 0 to 16", expedite.Message);
        var others = await Assert.ThrowsAsync<FluxException>(() => Urgency(guest, owners, 1));
        Assert.Equal(Errno.EPERM, others.Errnum);
        await Urgency(guest, mine, 1);
        var unknown = await Assert.ThrowsAsync<FluxException>(() => Urgency(rig.H, 999, 1));
        Assert.Equal(Errno.ENOENT, unknown.Errnum);

        await rig.Sched.GrantAsync(owners);
        await rig.Exec.StartRequestedAsync(owners);
        var running = await Assert.ThrowsAsync<FluxException>(() => Urgency(rig.H, owners, 20));
        Assert.Equal("urgency can only be changed while the job is pending", running.Message);
    }
}
