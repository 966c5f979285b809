// The events journal (backlog, sentinel, live events, purges), purging inactive jobs, and waiting for waitable jobs.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.JobManager.Tests;

public sealed class JournalPurgeWaitTests
{
    private const int Waitable = (int)SubmitFlags.Waitable;

    [Fact]
    public async Task Journal_LateSubscriber_GetsBacklogWithJobspecThenSentinelThenLiveEvents()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var done = await rig.SubmitAsync();
        await rig.RunAsync(done);
        var held = await rig.SubmitAsync(urgency: 0);
        await rig.Journal.UntilAsync(held, "priority");

        await using var late = await JournalFollower.FollowAsync(rig.H);
        Assert.Equal(rig.Journal.Names(done), late.Names(done));
        Assert.Equal(["submit", "validate", "depend", "priority"], late.Names(held));
        Assert.Equal("true", late.FirstEntry(held)["jobspec"]!["tasks"]![0]!["command"]![0]!.GetValue<string>());
        await rig.H.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = held, ["urgency"] = 16 });
        Assert.Equal("alloc", (await late.UntilAsync(held, "alloc"))[^1]);

        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.events-journal", new JsonObject()));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
    }

    [Fact]
    public async Task Purge_ByCountWithForce_RemovesOldestInactiveFromKvsAndJournal()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ids = new List<ulong>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await rig.SubmitAsync());
            await rig.RunAsync(ids[^1]);
        }
        var pending = await rig.SubmitAsync(urgency: 0);
        var dry = await rig.H.RpcAsync("job-manager.purge", new JsonObject { ["num_limit"] = 1 });
        Assert.Equal(2, dry!["count"]!.GetValue<int>());
        Assert.NotNull(await rig.H.KvsGetStringAsync(Fluid.Encode(ids[0], FluidEncoding.Kvs) + ".eventlog"));

        var purged = await rig.H.RpcAsync("job-manager.purge", new JsonObject { ["num_limit"] = 1, ["force"] = true });
        Assert.Equal(2, purged!["count"]!.GetValue<int>());
        await rig.Journal.UntilPurgedAsync(ids[0]);
        await rig.Journal.UntilPurgedAsync(ids[1]);
        Assert.False(rig.Journal.IsPurged(ids[2]));
        Assert.False(rig.Journal.IsPurged(pending));
        Assert.Null(await rig.H.KvsGetStringAsync(Fluid.Encode(ids[0], FluidEncoding.Kvs) + ".eventlog"));
        Assert.NotNull(await rig.H.KvsGetStringAsync(Fluid.Encode(ids[2], FluidEncoding.Kvs) + ".eventlog"));
        var gone = await Assert.ThrowsAsync<FluxException>(() => JobClient.WaitAsync(rig.H, ids[1]));
        Assert.Equal(Errno.ENOENT, gone.Errnum);
    }

    [Fact]
    public async Task Purge_InactiveNumLimitConfigured_OlderJobPurgedWhenNextEnds()
    {
        await using var rig = await JobManagerRig.StartAsync("[job-manager]\ninactive-num-limit = 1\n");
        var first = await rig.SubmitAsync();
        await rig.RunAsync(first);
        Assert.False(rig.Journal.IsPurged(first));
        var second = await rig.SubmitAsync();
        await rig.RunAsync(second);
        await rig.Journal.UntilPurgedAsync(first);
        Assert.False(rig.Journal.IsPurged(second));
    }

    [Fact]
    public async Task Wait_Any_ReturnsWaitableJobsOnceThenEchild()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var none = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.wait", new JsonObject { ["id"] = 0 }));
        Assert.Equal(Errno.ECHILD, none.Errnum);
        Assert.Equal("there are no waitable jobs", none.Message);

        var plain = await rig.SubmitAsync();
        var waitable = await rig.SubmitAsync(flags: Waitable);
        var any = rig.H.RpcAsync("job-manager.wait", new JsonObject { ["id"] = 0 });
        await rig.RunAsync(plain);
        Assert.False(any.IsCompleted, "wait for any waitable job answered before a waitable job ended");
        await rig.RunAsync(waitable, status: 1 << 8);
        var r = (await Await.Within(any, "job-manager.wait for any waitable job"))!;
        Assert.Equal(waitable, r["id"]!.GetValue<ulong>());
        Assert.False(r["success"]!.GetValue<bool>());

        // Reaped: it is no longer waitable, by any-wait.
        var again = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.wait", new JsonObject { ["id"] = 0 }));
        Assert.Equal(Errno.ECHILD, again.Errnum);
    }

    [Fact]
    public async Task Wait_OthersJob_RefusedToGuest()
    {
        await using var rig = await JobManagerRig.StartAsync();
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var id = await rig.SubmitAsync(flags: Waitable);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }
}
