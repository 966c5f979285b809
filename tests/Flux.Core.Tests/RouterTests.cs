// Router and handle behaviour over loop://: services, ENOSYS, matchtags, streams, held requests,
// events in order, credentials and roles.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Core.Tests;

public sealed class RouterTests
{
    [Fact]
    public async Task Request_UnknownService_IsEnosys()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("nosuch.thing"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }

    [Fact]
    public async Task Request_OtherRank_IsEhostunreach()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("broker.ping", null, 5));
        Assert.Equal(Errno.EHOSTUNREACH, ex.Errnum);
    }

    [Fact]
    public async Task Service_RegisteredByClient_ReceivesRequestsAndAnswersByMatchtag()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        await using var client = await inst.ConnectAsync();
        server.RegisterHandler(MessageType.Request, "calc.add", m =>
        {
            var o = m.GetJson();
            server.Respond(m, new JsonObject { ["sum"] = o["a"]!.GetValue<int>() + o["b"]!.GetValue<int>() });
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("calc");
        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            client.RpcAsync("calc.add", new JsonObject { ["a"] = i, ["b"] = 1000 })));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i + 1000, replies[i]!["sum"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Streaming_ResponsesUntilEnodata_AllArrive()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        await using var client = await inst.ConnectAsync();
        server.RegisterHandler(MessageType.Request, "count.up", m =>
        {
            if (!m.IsStreaming)
            {
                throw new FluxException(Errno.EPROTO, "streaming only");
            }
            for (var i = 0; i < 10; i++)
            {
                server.Respond(m, new JsonObject { ["i"] = i });
            }
            server.RespondError(m, Errno.ENODATA);
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("count");
        var got = new List<int>();
        await foreach (var r in client.StreamAsync(Message.Request("count.up")))
        {
            got.Add(r.GetJson()["i"]!.GetValue<int>());
        }
        Assert.Equal(Enumerable.Range(0, 10), got);
        var ex = await Assert.ThrowsAsync<FluxException>(() => client.RpcAsync("count.up"));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
    }

    [Fact]
    public async Task HeldRequest_AnsweredLater_CompletesCaller()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        await using var client = await inst.ConnectAsync();
        var held = new TaskCompletionSource<Message>();
        server.RegisterHandler(MessageType.Request, "wait.hold", m =>
        {
            held.SetResult(m);
            return ValueTask.CompletedTask;
        });
        server.RegisterHandler(MessageType.Request, "wait.release", m =>
        {
            server.Respond(held.Task.Result, new JsonObject { ["released"] = true });
            server.Respond(m);
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("wait");
        var pending = client.RpcAsync("wait.hold");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(pending.IsCompleted);
        await client.RpcAsync("wait.release");
        Assert.True((await pending)!["released"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Events_DeliveredInSequenceOrder_ToEveryMatchingPrefix()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var a = await inst.ConnectAsync();
        await using var b = await inst.ConnectAsync();
        await using var pub = await inst.ConnectAsync();
        var gotA = new List<(uint Seq, string Topic)>();
        var gotB = new List<(uint Seq, string Topic)>();
        var doneA = new TaskCompletionSource();
        var doneB = new TaskCompletionSource();
        a.RegisterHandler(MessageType.Event, "*", m =>
        {
            gotA.Add((m.Sequence, m.Topic!));
            if (m.Topic == "test.end")
            {
                doneA.SetResult();
            }
            return ValueTask.CompletedTask;
        });
        b.RegisterHandler(MessageType.Event, "*", m =>
        {
            gotB.Add((m.Sequence, m.Topic!));
            if (m.Topic == "test.end")
            {
                doneB.SetResult();
            }
            return ValueTask.CompletedTask;
        });
        await a.SubscribeAsync("test.");
        await b.SubscribeAsync("test.odd");
        await b.SubscribeAsync("test.end");
        for (var i = 0; i < 100; i++)
        {
            await pub.PublishAsync(i % 2 == 1 ? "test.odd" : "test.even", new JsonObject { ["i"] = i });
        }
        await pub.PublishAsync("other.topic");
        await pub.PublishAsync("test.end");
        await doneA.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await doneB.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(101, gotA.Count);
        Assert.Equal(51, gotB.Count);
        Assert.True(gotA.Select(x => x.Seq).SequenceEqual(gotA.Select(x => x.Seq).Order()), "events out of order");
        Assert.All(gotB, x => Assert.True(x.Topic is "test.odd" or "test.end"));
        Assert.DoesNotContain(gotA, x => x.Topic == "other.topic");
    }

    [Fact]
    public async Task Guest_Credential_IsStampedByBroker_AndOwnerOnlyServiceRefuses()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var ping = await guest.RpcAsync("broker.ping");
        Assert.Equal(4242u, ping!["userid"]!.GetValue<uint>());
        Assert.Equal((uint)(FluxRole.User | FluxRole.Local), ping["rolemask"]!.GetValue<uint>());

        // A guest cannot claim the owner role by setting it on its message.
        var forged = Message.Request("attr.set", new JsonObject { ["name"] = "log-level", ["value"] = "3" });
        forged.UserId = inst.Broker.OwnerUid;
        forged.RoleMask = FluxRole.Owner;
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RequestAsync(forged));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }

    [Fact]
    public async Task Guest_ServiceName_MustCarryUidPrefix()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.AddServiceAsync("kvs"));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        await guest.AddServiceAsync("4242-shell-1");
    }

    [Fact]
    public async Task Handler_Throwing_AnswersErrorAndKeepsServing()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        await using var client = await inst.ConnectAsync();
        server.RegisterHandler(MessageType.Request, "bad.boom", _ => throw new InvalidOperationException("kaboom"));
        server.RegisterHandler(MessageType.Request, "bad.ok", m =>
        {
            server.Respond(m);
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("bad");
        var ex = await Assert.ThrowsAsync<FluxException>(() => client.RpcAsync("bad.boom"));
        Assert.Contains("kaboom", ex.Message, StringComparison.Ordinal);
        await client.RpcAsync("bad.ok");
    }

    [Fact]
    public async Task Disconnect_ServiceIsToldWhenClientGoesAway()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        var told = new TaskCompletionSource<Message>();
        server.RegisterHandler(MessageType.Request, "watch.start", m =>
        {
            server.Respond(m);
            return ValueTask.CompletedTask;
        });
        server.RegisterHandler(MessageType.Request, "watch.disconnect", m =>
        {
            told.TrySetResult(m);
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("watch");
        var client = await inst.ConnectAsync();
        await client.RpcAsync("watch.start");
        await client.DisposeAsync();
        var d = await told.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(d.IsNoResponse);
        Assert.StartsWith("loop-", d.Sender, StringComparison.Ordinal);
    }
}
