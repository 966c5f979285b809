// A client may answer only the requests it was handed: forged responses (guessed route and
// matchtag), replays, answers after a stream ended, and requests posing as another sender.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;

namespace Flux.Core.Tests;

public sealed class ForgedResponseTests
{
    private const uint Guest = 4242;

    [Fact]
    public async Task Response_GuestGuessesRouteAndMatchtag_IsDroppedAndLogged()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var server = await inst.ConnectAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        var held = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.RegisterHandler(MessageType.Request, "hold.it", m =>
        {
            held.TrySetResult(m);
            return ValueTask.CompletedTask;
        });
        await server.AddServiceAsync("hold");
        var pending = owner.RpcAsync("hold.it");
        var request = await Await.Within(held.Task, "the held request to reach its service");
        var ownerRoute = request.Sender!;

        // The guest knows (or guesses) the owner's route name and the matchtag.
        var forged = new Message(MessageType.Response) { Topic = "hold.it", Matchtag = request.Matchtag, Routes = [ownerRoute] };
        forged.SetJson(new JsonObject { ["value"] = "forged" });
        guest.Send(forged);
        await guest.RpcAsync("broker.ping");
        Assert.False(pending.IsCompleted, "the owner's request was completed by the guest's forged response");

        server.Respond(request, new JsonObject { ["value"] = "real" });
        var reply = await Await.Within(pending, "the owner's real reply");
        Assert.Equal("real", reply!["value"]!.GetValue<string>());
        Assert.Contains("sent a response to no request it was handed (hold.it", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_GuestAnswersItsOwnRequest_OnceThenReplaysAreDropped()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        var received = new List<Message>();
        guest.RegisterHandler(MessageType.Request, $"{Guest}-svc.ask", m =>
        {
            received.Add(m);
            guest.Respond(m, new JsonObject { ["n"] = 1 });
            // The replay carries the same route and matchtag: the request is already answered.
            guest.Respond(m, new JsonObject { ["n"] = 2 });
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        await guest.AddServiceAsync($"{Guest}-svc");
        var first = await owner.RpcAsync($"{Guest}-svc.ask");
        Assert.Equal(1, first!["n"]!.GetValue<int>());
        // The next request may reuse the matchtag: it gets its own answer, not the replay.
        var second = await owner.RpcAsync($"{Guest}-svc.ask");
        Assert.Equal(1, second!["n"]!.GetValue<int>());
        Assert.Equal(2, received.Count);
        Assert.Contains($"(uid {Guest}) sent a response to no request it was handed", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_GuestService_ResponsesUntilErrorThenNothing()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        guest.RegisterHandler(MessageType.Request, $"{Guest}-count.up", m =>
        {
            for (var i = 0; i < 3; i++)
            {
                guest.Respond(m, new JsonObject { ["i"] = i });
            }
            guest.RespondError(m, Errno.ENODATA);
            guest.Respond(m, new JsonObject { ["i"] = 99 });
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        await guest.AddServiceAsync($"{Guest}-count");
        var got = new List<int>();
        await foreach (var r in owner.StreamAsync(Message.Request($"{Guest}-count.up")))
        {
            got.Add(r.GetJson()["i"]!.GetValue<int>());
        }
        Assert.Equal([0, 1, 2], got);
        await guest.RpcAsync("broker.ping");
        Assert.Contains($"{Guest}-count.up, matchtag", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_FromClientWithRoutes_StartsAtTheClient()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        // Routes brought by a client would make it look, to the service, like another sender.
        var request = Message.Request("broker.ping");
        request.Routes = ["job-manager"];
        var reply = (await guest.RequestAsync(request)).GetJson();
        var route = reply["route"]!.GetValue<string>();
        Assert.StartsWith("loop-", route, StringComparison.Ordinal);
        Assert.DoesNotContain("job-manager", route, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToClientHoldingCapacityUnanswered_IsEagain()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        var held = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        guest.RegisterHandler(MessageType.Request, $"{Guest}-sink.hold", _ =>
        {
            if (++held == DeliveredRequests.Capacity)
            {
                all.TrySetResult();
            }
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        await guest.AddServiceAsync($"{Guest}-sink");
        var pending = Enumerable.Range(0, DeliveredRequests.Capacity).Select(_ => owner.RpcAsync($"{Guest}-sink.hold")).ToList();
        await Await.Within(all.Task, $"{DeliveredRequests.Capacity} requests to reach the guest's service");
        var ex = await Assert.ThrowsAsync<FluxException>(() => owner.RpcAsync($"{Guest}-sink.hold"));
        Assert.Equal(Errno.EAGAIN, ex.Errnum);
        Assert.Contains("unanswered requests", ex.Message, StringComparison.Ordinal);
        Assert.All(pending, p => Assert.False(p.IsCompleted));
    }
}
