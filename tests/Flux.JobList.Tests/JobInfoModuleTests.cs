// job-info over the real content, kvs and kvs-watch modules: lookups, access checks, eventlog watches.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;
using static Flux.JobList.Tests.Journal;

namespace Flux.JobList.Tests;

public sealed class JobInfoModuleTests
{
    private const ulong Id = 0x42c00000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string Key(string k) => Fluid.Encode(Id, FluidEncoding.Kvs) + "." + k;

    private static string Line(string name, double t, JsonObject? context = null) => new EventlogEntry(t, name, context).ToLine();

    private static async Task<TestInstance> StartAsync(uint owner = Owner)
    {
        var inst = await TestInstance.StartAsync([.. TestInstance.KvsModules, "job-info", "job-list"]);
        await using var h = await inst.ConnectAsync();
        var eventlog = Line("submit", 100, new JsonObject { ["urgency"] = 16, ["userid"] = owner, ["flags"] = 0, ["version"] = 1 })
            + Line("validate", 101);
        await h.KvsCommitAsync(new KvsTxn()
            .Put(Key("eventlog"), eventlog)
            .PutJson(Key("jobspec"), Jobspec("hostname"))
            .PutJson(Key("R"), R(1))
            .Put(Key("J"), SignedJob.Wrap(Jobspec("hostname").ToJsonString(), owner)));
        return inst;
    }

    private static Task Append(FluxHandle h, string key, string text) => h.KvsCommitAsync(new KvsTxn().Append(key, text));

    private static Message Watch(string path = "eventlog", int flags = 0) =>
        Message.Request("job-info.eventlog-watch", new JsonObject { ["id"] = Id, ["path"] = path, ["flags"] = flags });

    // Reads one streamed event at a time, so a test can act between events.
    private sealed class Stream(IAsyncEnumerator<Message> e) : IAsyncDisposable
    {
        public async Task<string?> NextAsync()
        {
            if (!await e.MoveNextAsync().AsTask().WaitAsync(Timeout))
            {
                return null;
            }
            return e.Current.GetJson()["event"]!.GetValue<string>();
        }

        public async Task<string> NameAsync() => Eventlog.ParseEntry(await NextAsync() ?? throw new InvalidOperationException("stream ended")).Name;

        public ValueTask DisposeAsync() => e.DisposeAsync();
    }

    [Fact]
    public async Task Lookup_ReturnsKeysAsStored()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        var resp = (await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("jobspec", "R", "eventlog"), ["flags"] = 0 }))!;
        Assert.Equal(Id, resp["id"]!.GetValue<ulong>());
        Assert.Equal(Jobspec("hostname").ToJsonString(), resp["jobspec"]!.GetValue<string>());
        Assert.Equal(R(1).ToJsonString(), resp["R"]!.GetValue<string>());
        Assert.StartsWith("{\"timestamp\":100,\"name\":\"submit\"", resp["eventlog"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_CurrentAndJsonDecode_ApplyUpdateEvents()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await Append(h, Key("eventlog"), Line("jobspec-update", 102, new JsonObject { ["attributes.system.duration"] = 60 })
            + Line("resource-update", 103, new JsonObject { ["expiration"] = 500.0 }));
        var resp = (await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("jobspec", "R"), ["flags"] = 3 }))!;
        Assert.Equal(60, resp["jobspec"]!["attributes"]!["system"]!["duration"]!.GetValue<int>());
        Assert.Equal(500.0, resp["R"]!["execution"]!["expiration"]!.GetValue<double>());
        var asString = (await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("jobspec"), ["flags"] = 2 }))!;
        Assert.Contains("\"duration\":60", asString["jobspec"]!.GetValue<string>(), StringComparison.Ordinal);
        var base0 = (await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("jobspec"), ["flags"] = 0 }))!;
        Assert.Contains("\"duration\":0", base0["jobspec"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_GuestOnlyReadsItsOwnJobs_AndMissingIsEnoent()
    {
        await using var inst = await StartAsync(owner: 1234);
        await using var mine = await inst.ConnectAsync(asUser: 1234);
        await using var other = await inst.ConnectAsync(asUser: 4321);
        var ok = await mine.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("R"), ["flags"] = 0 });
        Assert.NotNull(ok!["R"]);
        var ex = await Assert.ThrowsAsync<FluxException>(() => other.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("R"), ["flags"] = 0 }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        ex = await Assert.ThrowsAsync<FluxException>(() => mine.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id + 1, ["keys"] = new JsonArray("R"), ["flags"] = 0 }));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
        ex = await Assert.ThrowsAsync<FluxException>(() => mine.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("nosuch"), ["flags"] = 0 }));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
        ex = await Assert.ThrowsAsync<FluxException>(() => other.RequestAsync(Watch()));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
        await using var denied = new Stream(other.StreamAsync(Watch()).GetAsyncEnumerator());
        ex = await Assert.ThrowsAsync<FluxException>(() => denied.NextAsync());
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }

    [Fact]
    public async Task EventlogWatch_SendsExistingThenAppendedEvents_EndsAfterClean()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await using var s = new Stream(h.StreamAsync(Watch()).GetAsyncEnumerator());
        var first = await s.NextAsync();
        Assert.Equal(Line("submit", 100, new JsonObject { ["urgency"] = 16, ["userid"] = Owner, ["flags"] = 0, ["version"] = 1 }), first);
        Assert.Equal("validate", await s.NameAsync());
        await Append(h, Key("eventlog"), Line("depend", 102) + Line("priority", 103, new JsonObject { ["priority"] = 16 }));
        Assert.Equal("depend", await s.NameAsync());
        Assert.Equal("priority", await s.NameAsync());
        await Append(h, Key("eventlog"), Line("exception", 104, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }) + Line("clean", 105));
        Assert.Equal("exception", await s.NameAsync());
        Assert.Equal("clean", await s.NameAsync());
        Assert.Null(await s.NextAsync());
    }

    [Fact]
    public async Task EventlogWatch_CancelEndsTheStream_AndStopsTheKvsWatch()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        var request = Watch();
        await using var s = new Stream(h.StreamAsync(request).GetAsyncEnumerator());
        Assert.Equal("submit", await s.NameAsync());
        Assert.Equal("validate", await s.NameAsync());
        var cancel = Message.Request("job-info.eventlog-watch-cancel", new JsonObject { ["matchtag"] = request.Matchtag });
        cancel.Flags |= MessageFlags.NoResponse;
        h.Send(cancel);
        Assert.Null(await s.NextAsync());
        // job-info answers in order, so after this lookup it has sent its kvs-watch.cancel.
        await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("R"), ["flags"] = 0 });
        Assert.Equal(0, (await h.RpcAsync("kvs-watch.stats-get"))!["watchers"]!.GetValue<int>());
    }

    [Fact]
    public async Task EventlogWatch_ClientDisconnect_StopsTheKvsWatch()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        var client = await inst.ConnectAsync();
        await using (var s = new Stream(client.StreamAsync(Watch()).GetAsyncEnumerator()))
        {
            Assert.Equal("submit", await s.NameAsync());
            Assert.Equal(1, (await h.RpcAsync("kvs-watch.stats-get"))!["watchers"]!.GetValue<int>());
        }
        await client.DisposeAsync();
        await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = Id, ["keys"] = new JsonArray("R"), ["flags"] = 0 });
        Assert.Equal(0, (await h.RpcAsync("kvs-watch.stats-get"))!["watchers"]!.GetValue<int>());
    }

    [Fact]
    public async Task EventlogWatch_ExecPathInPrimaryNamespace_FollowsUntilJobIsInactive()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await using var s = new Stream(h.StreamAsync(Watch("exec", flags: 1)).GetAsyncEnumerator());
        // Nothing before the job starts; then the exec eventlog as job-exec writes it (RFC 50).
        await Append(h, Key("eventlog"), Line("alloc", 102) + Line("start", 103));
        await Append(h, Key("guest.exec.eventlog"), Line("init", 102.5) + Line("starting", 102.6));
        Assert.Equal("init", await s.NameAsync());
        Assert.Equal("starting", await s.NameAsync());
        await Append(h, Key("guest.exec.eventlog"), Line("complete", 104, new JsonObject { ["status"] = 0 }));
        Assert.Equal("complete", await s.NameAsync());
        await h.KvsCommitAsync(new KvsTxn()
            .Append(Key("guest.exec.eventlog"), Line("done", 105))
            .Append(Key("eventlog"), Line("finish", 105, new JsonObject { ["status"] = 0 }) + Line("clean", 106)));
        Assert.Equal("done", await s.NameAsync());
        Assert.Null(await s.NextAsync());
    }

    [Fact]
    public async Task EventlogWatch_ExecPathInGuestNamespace_ContinuesFromTheFinalCopy()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        var ns = "job-" + Id.ToString(CultureInfo.InvariantCulture);
        await h.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = ns, ["owner"] = Owner, ["flags"] = 0 });
        await h.KvsCommitAsync(new KvsTxn().Put("exec.eventlog", Line("init", 102.5)), ns);
        await Append(h, Key("eventlog"), Line("alloc", 102) + Line("start", 103));
        await using var s = new Stream(h.StreamAsync(Watch("exec")).GetAsyncEnumerator());
        Assert.Equal("init", await s.NameAsync());
        await h.KvsCommitAsync(new KvsTxn().Append("exec.eventlog", Line("starting", 102.6)), ns);
        Assert.Equal("starting", await s.NameAsync());
        // The job ends: its guest log is copied to job.ID.guest and the namespace removed.
        var final = Line("init", 102.5) + Line("starting", 102.6) + Line("complete", 104, new JsonObject { ["status"] = 0 }) + Line("done", 105);
        await h.KvsCommitAsync(new KvsTxn().Put(Key("guest.exec.eventlog"), final));
        await h.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = ns });
        Assert.Equal("complete", await s.NameAsync());
        Assert.Equal("done", await s.NameAsync());
        Assert.Null(await s.NextAsync());
    }

    [Fact]
    public async Task EventlogWatch_InactiveJobGuestLog_IsReadOnce_AndMissingIsEnoent()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await Append(h, Key("eventlog"), Line("exception", 102, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }) + Line("clean", 103));
        await using (var missing = new Stream(h.StreamAsync(Watch("output")).GetAsyncEnumerator()))
        {
            var ex = await Assert.ThrowsAsync<FluxException>(() => missing.NextAsync());
            Assert.Equal(Errno.ENOENT, ex.Errnum);
        }
        await h.KvsCommitAsync(new KvsTxn().Put(Key("guest.output"), Line("header", 102.1) + Line("data", 102.2, new JsonObject { ["stream"] = "stdout", ["rank"] = "0", ["data"] = "hi\n" })));
        await using var s = new Stream(h.StreamAsync(Watch("output")).GetAsyncEnumerator());
        Assert.Equal("header", await s.NameAsync());
        Assert.Equal("data", await s.NameAsync());
        Assert.Null(await s.NextAsync());
    }

    [Fact]
    public async Task JobList_BacklogJobThatRanWithoutR_IsListedWithRFromTheKvs()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await using var jm = await FakeJobManager.StartAsync(inst);
        var done = Pending(Id, 100);
        foreach (var e in new[] { Ev("alloc", 101), Ev("finish", 102, new JsonObject { ["status"] = 0 }), Ev("clean", 103) })
        {
            ((JsonArray)done["events"]!).Add(e);
        }
        await jm.SendBacklogAsync(done);
        var job = (await h.RpcAsync("job-list.list-id", new JsonObject { ["id"] = Id, ["attrs"] = new JsonArray("nnodes", "nodelist", "ranks") }))!["job"]!;
        Assert.Equal(1, job["nnodes"]!.GetValue<int>());
        Assert.Equal("node0", job["nodelist"]!.GetValue<string>());
        Assert.Equal("0", job["ranks"]!.GetValue<string>());
    }

    [Fact]
    public async Task JobList_ListId_WaitsForAJobTheKvsKnowsButTheJournalHasNotSentYet()
    {
        await using var inst = await StartAsync();
        await using var h = await inst.ConnectAsync();
        await using var jm = await FakeJobManager.StartAsync(inst);
        await jm.SendBacklogAsync();
        var pending = h.RpcAsync("job-list.list-id", new JsonObject { ["id"] = Id, ["attrs"] = new JsonArray("state") });
        var unknown = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-list.list-id", new JsonObject { ["id"] = Id + 1, ["attrs"] = new JsonArray("state") }));
        Assert.Equal(Errno.ENOENT, unknown.Errnum);
        Assert.False(pending.IsCompleted);
        jm.Send(Pending(Id, 100));
        Assert.Equal(8, (await pending.WaitAsync(Timeout))!["job"]!["state"]!.GetValue<int>());
    }
}
