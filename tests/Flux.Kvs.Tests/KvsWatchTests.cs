// kvs-watch: each new value streamed, WAITCREATE, eventlog appends only, access checks, cancel.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Kvs.Tests;

public sealed class KvsWatchTests
{
    private const int Watch = 4;
    private const int WaitCreate = 8;
    private const int WatchAppend = 256;

    private static IAsyncEnumerator<Message> Open(FluxHandle h, string key, int flags, string ns = "primary")
    {
        var req = Message.Request("kvs-watch.lookup", new JsonObject { ["key"] = key, ["flags"] = flags, ["namespace"] = ns });
        return h.StreamAsync(req).GetAsyncEnumerator();
    }

    private static async Task<string> Next(IAsyncEnumerator<Message> e, string what)
    {
        Assert.True(await Await.Within(e.MoveNextAsync().AsTask(), what), $"the watch ended before {what}");
        return Kvs.Text(e.Current.GetJson()["val"]!);
    }

    [Fact]
    public async Task Watch_StreamsEachNewValue()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "w.key", "0");
        var e = Open(h, "w.key", Watch);
        Assert.Equal("0", await Next(e, "the initial value"));
        for (var i = 1; i <= 3; i++)
        {
            await Kvs.PutAsync(h, "w.key", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await Next(e, $"value {i}"));
        }
        await Kvs.PutAsync(h, "w.other", "unrelated");
        await Kvs.PutAsync(h, "w.key", "last");
        Assert.Equal("last", await Next(e, "the value after an unrelated commit"));
        await e.DisposeAsync();
    }

    [Fact]
    public async Task WaitCreate_AnswersWhenTheKeyAppears()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var e = Open(h, "later.key", Watch | WaitCreate);
        var first = e.MoveNextAsync().AsTask();
        await Kvs.PutAsync(h, "other", "x");
        Assert.False(first.IsCompleted, "the watch answered before the key existed");
        await Kvs.PutAsync(h, "later.key", "here");
        Assert.True(await Await.Within(first, "the key to be created"));
        Assert.Equal("here", Kvs.Text(e.Current.GetJson()["val"]!));
        await e.DisposeAsync();
    }

    [Fact]
    public async Task WatchAppend_StreamsOnlyAppendedLines()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.CommitAsync(h, Kvs.Op("job.eventlog", Kvs.Val("{\"name\":\"submit\"}\n"), flags: Kvs.AppendFlag));
        var e = Open(h, "job.eventlog", Watch | WatchAppend);
        Assert.Equal("{\"name\":\"submit\"}\n", await Next(e, "the initial eventlog"));
        await Kvs.CommitAsync(h, Kvs.Op("job.eventlog", Kvs.Val("{\"name\":\"alloc\"}\n"), flags: Kvs.AppendFlag));
        Assert.Equal("{\"name\":\"alloc\"}\n", await Next(e, "the appended alloc event"));
        await Kvs.CommitAsync(h, Kvs.Op("job.eventlog", Kvs.Val("{\"name\":\"start\"}\n"), flags: Kvs.AppendFlag), Kvs.Op("job.eventlog", Kvs.Val("{\"name\":\"finish\"}\n"), flags: Kvs.AppendFlag));
        Assert.Equal("{\"name\":\"start\"}\n{\"name\":\"finish\"}\n", await Next(e, "two events appended in one commit"));
        await e.DisposeAsync();
    }

    [Fact]
    public async Task Watch_GuestOnOthersNamespace_IsDenied_OnOwnIsServed()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await owner.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = "job-1", ["owner"] = 777 });
        await Kvs.CommitNsAsync(owner, "job-1", 0, Kvs.Op("out", Kvs.Val("a")));
        await using var intruder = await inst.ConnectAsync(asUser: 888);
        var denied = Open(intruder, "out", Watch, "job-1");
        var ex = await Assert.ThrowsAsync<FluxException>(() => Await.Within(denied.MoveNextAsync().AsTask(), "the denial"));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        var primary = Open(intruder, "anything", Watch | WaitCreate);
        var ex2 = await Assert.ThrowsAsync<FluxException>(() => Await.Within(primary.MoveNextAsync().AsTask(), "the denial on primary"));
        Assert.Equal(Errno.EPERM, ex2.Errnum);
        await using var guest = await inst.ConnectAsync(asUser: 777);
        var mine = Open(guest, "out", Watch, "job-1");
        Assert.Equal("a", await Next(mine, "the guest's own key"));
        await owner.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = "job-1" });
        var ended = await Assert.ThrowsAsync<FluxException>(() => Await.Within(mine.MoveNextAsync().AsTask(), "the end of the watch on a removed namespace"));
        Assert.Equal(Errno.EOPNOTSUPP, ended.Errnum);
    }

    [Fact]
    public async Task Cancel_EndsTheStream()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "c", "1");
        var req = Message.Request("kvs-watch.lookup", new JsonObject { ["key"] = "c", ["flags"] = Watch, ["namespace"] = "primary" });
        var e = h.StreamAsync(req).GetAsyncEnumerator();
        Assert.True(await Await.Within(e.MoveNextAsync().AsTask(), "the first value"));
        var cancel = Message.Request("kvs-watch.cancel", new JsonObject { ["matchtag"] = req.Matchtag });
        await h.RequestAsync(cancel);
        Assert.False(await Await.Within(e.MoveNextAsync().AsTask(), "the stream to end after cancel"));
        var stats = await h.RpcAsync("kvs-watch.stats-get");
        Assert.Equal(0, stats!["watchers"]!.GetValue<int>());
    }
}
