// A commit whose work fails other than by an RFC 6 error is answered with an error, not left hanging.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Kvs.Tests;

public sealed class KvsFaultTests
{
    [Fact]
    public async Task Commit_ContentAnswersUnreadableDirObject_CommitGetsErrorAndLaterCommitsWork()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        // A blob that looks like a dir object but whose "ver" is not an integer: reading it throws a
        // FormatException inside the commit loop, which no RFC 6 error handler catches.
        var store = new Message(MessageType.Request) { Topic = "content.store", NodeIdTarget = NodeId.Any };
        store.SetPayload("{\"ver\":1.5,\"type\":\"dir\",\"data\":{}}"u8.ToArray());
        var digest = (await h.RequestAsync(store)).Payload.ToArray();
        var blobref = BlobHash.Parse(await h.GetAttrAsync("content.hash")).ToBlobref(digest);
        var dirref = new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(blobref) };

        var commit = Kvs.CommitAsync(h, Kvs.Op("bad", dirref), Kvs.Op("bad.x", Kvs.Val("1")));

        var ex = await Await.Within(Assert.ThrowsAsync<FluxException>(() => commit), "the error answer to a commit whose loop faulted");
        Assert.Contains("FormatException", ex.Message, StringComparison.Ordinal);
        await Await.Within(Kvs.PutAsync(h, "after", "2"), "a commit after the fault");
        Assert.Equal("2", await Kvs.GetAsync(h, "after"));
    }
}
