// job-manager.raiseall, killall, purge-id and memo answer flux-core 0.88's client requests with flux-core's keys.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.JobManager.Tests;

public sealed class BulkTopicsTests
{
    // Request payloads as flux-core's CLI packs them (src/cmd/job/kill.c raiseall: "{s:b s:i s:i s:i s:s s:s}",
    // killall: "{s:b s:i s:i}"; src/cmd/job/purge.c purge_ids: "{s:I s:i}"; src/cmd/job/memo.c: "{s:I s:b s:o}");
    // responses are unpacked as "{s:i s:i}" (count, errors) and "{s:i}" (count).
    private static JsonObject RaiseAll(bool dryRun, uint userid, int states, int severity, string type) => new()
    {
        ["dry_run"] = dryRun, ["userid"] = userid, ["states"] = states, ["severity"] = severity, ["type"] = type, ["note"] = "",
    };

    private static JsonObject KillAll(bool dryRun, uint userid, int signum) => new() { ["dry_run"] = dryRun, ["userid"] = userid, ["signum"] = signum };

    private const int ActiveStates = 62; // FLUX_JOB_STATE_ACTIVE

    [Fact]
    public async Task RaiseAll_DryRunThenForce_CountsThenEndsTheJobs()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var a = await rig.SubmitAsync();
        var b = await rig.SubmitAsync();
        var dry = await rig.H.RpcAsync("job-manager.raiseall", RaiseAll(true, JobManagerRig.Owner, ActiveStates, 0, "cancel"));
        Assert.Equal("""{"count":2,"errors":0}""", dry!.ToJsonString());
        Assert.DoesNotContain("exception", rig.Journal.Names(a));
        var done = await rig.H.RpcAsync("job-manager.raiseall", RaiseAll(false, JobManagerRig.Owner, ActiveStates, 0, "cancel"));
        Assert.Equal(2, done!["count"]!.GetValue<int>());
        await rig.Journal.UntilAsync(a, "clean");
        await rig.Journal.UntilAsync(b, "clean");
        Assert.Equal("cancel", rig.Journal.Context(a, "exception")!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RaiseAll_GuestForOtherUserOrInactiveStates_IsRefused()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.raiseall", RaiseAll(true, uint.MaxValue, ActiveStates, 7, "test")));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        ex = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.raiseall", RaiseAll(true, JobManagerRig.Owner, 64, 7, "test")));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        // A guest's own jobs: none here.
        var own = await guest.RpcAsync("job-manager.raiseall", RaiseAll(true, 4242, ActiveStates, 7, "test"));
        Assert.Equal(0, own!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task KillAll_CountsOnlyRunningJobs()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var running = await rig.SubmitAsync();
        await rig.Exec.StartedAsync(running);
        await rig.Journal.UntilAsync(running, "start");
        var resp = await rig.H.RpcAsync("job-manager.killall", KillAll(true, uint.MaxValue, 15));
        Assert.Equal("""{"count":1,"errors":0}""", resp!.ToJsonString());
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.killall", KillAll(true, JobManagerRig.Owner, 15)));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        await rig.Exec.FinishedAsync(running, 0);
        await rig.Exec.ReleasedAsync(running);
        await rig.Journal.UntilAsync(running, "clean");
    }

    [Fact]
    public async Task PurgeId_InactiveJob_CountsWithoutForceAndPurgesWithIt()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var id = await rig.SubmitAsync();
        var active = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.purge-id", new JsonObject { ["id"] = id, ["force"] = 1 }));
        Assert.Equal(Errno.EINVAL, active.Errnum);
        Assert.EndsWith(": cannot purge active job", active.Message, StringComparison.Ordinal);
        await rig.RunAsync(id);
        var dry = await rig.H.RpcAsync("job-manager.purge-id", new JsonObject { ["id"] = id, ["force"] = 0 });
        Assert.Equal("""{"count":1}""", dry!.ToJsonString());
        Assert.False(rig.Journal.IsPurged(id));
        var purged = await rig.H.RpcAsync("job-manager.purge-id", new JsonObject { ["id"] = id, ["force"] = 1 });
        Assert.Equal(1, purged!["count"]!.GetValue<int>());
        await rig.Journal.UntilPurgedAsync(id);
        var gone = await Assert.ThrowsAsync<FluxException>(() => rig.H.RpcAsync("job-manager.purge-id", new JsonObject { ["id"] = id, ["force"] = 1 }));
        Assert.Equal(Errno.ENOENT, gone.Errnum);
        Assert.EndsWith(": id not found", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memo_FluxCoreRequest_PostsAMemoEventWithTheMemo()
    {
        await using var rig = await JobManagerRig.StartAsync(autoGrant: false);
        var id = await rig.SubmitAsync();
        var resp = await rig.H.RpcAsync("job-manager.memo", new JsonObject { ["id"] = id, ["volatile"] = false, ["memo"] = new JsonObject { ["note"] = "x", ["n"] = 2 } });
        Assert.Null(resp);
        await rig.Journal.UntilAsync(id, "memo");
        Assert.Equal("""{"note":"x","n":2}""", rig.Journal.Context(id, "memo")!.ToJsonString());
        await using var guest = await rig.Inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("job-manager.memo", new JsonObject { ["id"] = id, ["volatile"] = true, ["memo"] = new JsonObject() }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }
}
