// state-machine.wait/monitor and groups.join/leave answer as flux-core's broker (state_machine.c, groups.c) for one broker.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using Xunit;

namespace Flux.Conformance.Tests;

public sealed class StateGroupsConformanceTests
{
    [Fact]
    public async Task Monitor_FinalShutdown_AnswersRunThenEndsAtShutdown()
    {
        var inst = await TestInstance.StartAsync();
        var fx = FluxCoreStateGroupsFixtures.Monitor;
        await using var h = await inst.ConnectAsync();
        var states = new List<int>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Task.Run(async () =>
        {
            // StreamAsync ends without an exception only at ENODATA.
            await foreach (var m in h.StreamAsync(Message.Request(fx.Topic, fx.RequestJson)))
            {
                var o = m.GetJson();
                Assert.Equal(fx.ResponseJson.Select(kv => kv.Key), o.Select(kv => kv.Key));
                lock (states)
                {
                    states.Add(o["state"]!.GetValue<int>());
                }
                first.TrySetResult();
            }
        });
        await Await.Within(first.Task, "the monitor's first answer");
        // Shutdown passes cleanup (5) and shutdown (6), the final state asked for: then ENODATA.
        await inst.DisposeAsync();
        await Await.Within(watch, "the monitor to end with ENODATA at its final state");
        Assert.Equal(new[] { 4, 5, 6 }, states);
    }

    [Fact]
    public async Task Monitor_NotStreaming_OneAnswer()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var resp = await Await.Within(h.RpcAsync("state-machine.monitor"), "state-machine.monitor");
        Assert.Equal(FluxCoreStateGroupsFixtures.Monitor.Response, resp!.ToJsonString());
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("state-machine.monitor"));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }

    [Fact]
    public async Task Wait_InRun_AnswersAtOnceToAnyUser()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var resp = await Await.Within(guest.RpcAsync(FluxCoreStateGroupsFixtures.Wait.Topic), "state-machine.wait");
        Assert.Null(resp);
    }

    [Fact]
    public async Task JoinLeave_Group_MembershipAsGroupsGetShowsIt()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        const string name = "test.group";
        Assert.Equal("", await MembersAsync(h, name));
        Assert.Null(await h.RpcAsync("groups.join", new JsonObject { ["name"] = name }));
        Assert.Equal("0", await MembersAsync(h, name));
        var again = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("groups.join", new JsonObject { ["name"] = name }));
        Assert.Equal(Errno.EEXIST, again.Errnum);
        Assert.Equal(FluxCoreStateGroupsFixtures.AlreadyMember(name), again.Message);
        Assert.Null(await h.RpcAsync("groups.leave", new JsonObject { ["name"] = name }));
        Assert.Equal("", await MembersAsync(h, name));
        var gone = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("groups.leave", new JsonObject { ["name"] = name }));
        Assert.Equal(Errno.ENOENT, gone.Errnum);
        Assert.Equal(FluxCoreStateGroupsFixtures.NotMember(name), gone.Message);
    }

    [Fact]
    public async Task Join_BrokerOnline_TheBrokerJoinedItAlready()
    {
        // The broker joins broker.online itself on entering run (state_machine.c action_quorum).
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreStateGroupsFixtures.Join;
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync(fx.Topic, fx.RequestJson));
        Assert.Equal(Errno.EEXIST, ex.Errnum);
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var denied = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync(FluxCoreStateGroupsFixtures.Leave.Topic, FluxCoreStateGroupsFixtures.Leave.RequestJson));
        Assert.Equal(Errno.EPERM, denied.Errnum);
        Assert.Equal("0", await MembersAsync(h, "broker.online"));
    }

    [Fact]
    public async Task Join_ClientDisconnects_ItsGroupIsLeft()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var other = await inst.ConnectAsync();
        await other.RpcAsync("groups.join", new JsonObject { ["name"] = "test.auto" });
        Assert.Equal("0", await MembersAsync(h, "test.auto"));
        await other.DisposeAsync();
        await Await.Within(WaitForMembersAsync(h, "test.auto", ""), "test.auto to be left when the client that joined it disconnected");
    }

    private static async Task<string> MembersAsync(FluxHandle h, string name) =>
        (await Await.Within(h.RpcAsync("groups.get", new JsonObject { ["name"] = name }), $"groups.get {name}"))!["members"]!.GetValue<string>();

    // Polls groups.get (each poll an RPC; the caller bounds the wait).
    private static async Task WaitForMembersAsync(FluxHandle h, string name, string members)
    {
        while (await MembersAsync(h, name) != members)
        {
            await Task.Yield();
        }
    }
}
