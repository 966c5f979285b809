// kvs over the content store: put/get, directories, symlinks, transactions, snapshots, namespaces, bad input.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Kvs.Tests;

public sealed class KvsBasicTests
{
    private const int ReadDir = 1;
    private const int ReadLink = 2;
    private const int TreeObj = 16;

    [Fact]
    public async Task Put_ThenGet_ReturnsValue()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "a.b", "1");
        Assert.Equal("1", await Kvs.GetAsync(h, "a.b"));
    }

    [Fact]
    public async Task Transaction_ManyOps_AppliedAtomicallyInOneVersion()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var before = (await h.RpcAsync("kvs.getroot"))!["rootseq"]!.GetValue<long>();
        var ops = Enumerable.Range(0, 500).Select(i => Kvs.Op($"t.k{i}", Kvs.Val(new string('v', i)))).ToArray();
        var r = await Kvs.CommitAsync(h, ops);
        Assert.Equal(before + 1, r["rootseq"]!.GetValue<long>());
        var dir = await Kvs.LookupAsync(h, "t", ReadDir);
        Assert.Equal(500, dir["data"]!.AsObject().Count);
        Assert.Equal(new string('v', 499), await Kvs.GetAsync(h, "t.k499"));
        await Kvs.CommitAsync(h, Kvs.Op("t.k1", null), Kvs.Op("t.new", Kvs.Val("n")));
        await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, "t.k1"));
        Assert.Equal("n", await Kvs.GetAsync(h, "t.new"));
    }

    [Fact]
    public async Task KvsTxn_EveryKindOfOp_CommitsAsWritten()
    {
        // KvsCommitAsync writes the request straight from the ops (values as base64 from their bytes):
        // what the KVS stores must be what the tree form of the same ops says.
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await h.KvsCommitAsync(new KvsTxn().Put("gone", "x").Put("log", "a\n"));
        var txn = new KvsTxn()
            .Put("s", "text é \"q\"")
            .Put("raw", [0, 1, 255])
            .Append("log", "{\"x\":1}\n"u8)
            .Append("log", "b\n")
            .Mkdir("d")
            .Unlink("gone")
            .Symlink("ln", "s")
            .PutTreeObject("t", TreeObject.Val("v"u8));
        Assert.Equal(8, txn.Count);
        Assert.Equal(8, txn.ToJson().Count);
        await h.KvsCommitAsync(txn);
        Assert.Equal("text é \"q\"", await h.KvsGetStringAsync("s"));
        Assert.Equal(new byte[] { 0, 1, 255 }, TreeObject.ValBytes(await h.KvsLookupAsync("raw")));
        Assert.Equal("a\n{\"x\":1}\nb\n", await h.KvsGetStringAsync("log"));
        Assert.Empty(await h.KvsListAsync("d"));
        Assert.Null(await h.KvsLookupAsync("gone"));
        Assert.Equal("text é \"q\"", await h.KvsGetStringAsync("ln"));
        Assert.Equal("v", await h.KvsGetStringAsync("t"));
    }

    [Fact]
    public async Task LookupAtOldRoot_SeesSnapshot()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var first = await Kvs.PutAsync(h, "snap.x", "old");
        await Kvs.PutAsync(h, "snap.x", "new");
        await Kvs.CommitAsync(h, Kvs.Op("snap.y", Kvs.Val("added later")));
        var oldRoot = first["rootref"]!.GetValue<string>();
        Assert.Equal("old", await Kvs.GetAsync(h, "snap.x", rootref: oldRoot));
        Assert.Equal("new", await Kvs.GetAsync(h, "snap.x"));
        var gone = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, "snap.y", rootref: oldRoot));
        Assert.Equal(Errno.ENOENT, gone.Errnum);
    }

    [Fact]
    public async Task Symlink_IsFollowed_AndReadlinkReturnsTarget()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "real.key", "value");
        var link = new JsonObject { ["ver"] = 1, ["type"] = "symlink", ["data"] = new JsonObject { ["target"] = "real" } };
        await Kvs.CommitAsync(h, Kvs.Op("alias", link));
        Assert.Equal("value", await Kvs.GetAsync(h, "alias.key"));
        var l = await Kvs.LookupAsync(h, "alias", ReadLink);
        Assert.Equal("real", l["data"]!["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task Append_BuildsValrefAndValueIsConcatenation()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        for (var i = 0; i < 5; i++)
        {
            await Kvs.CommitAsync(h, Kvs.Op("log", Kvs.Val($"line{i}\n"), flags: Kvs.AppendFlag));
        }
        Assert.Equal("line0\nline1\nline2\nline3\nline4\n", await Kvs.GetAsync(h, "log"));
        var t = await Kvs.LookupAsync(h, "log", TreeObj);
        Assert.Equal("valref", t["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a..b", "empty path component")]
    [InlineData("", "cannot be empty")]
    [InlineData(".a", "cannot start with '.'")]
    public async Task MalformedKey_IsEinvalWithReason(string key, string why)
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var get = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, key));
        Assert.Equal(Errno.EINVAL, get.Errnum);
        Assert.Contains(why, get.Message, StringComparison.Ordinal);
        var put = await Assert.ThrowsAsync<FluxException>(() => Kvs.PutAsync(h, key, "x"));
        Assert.Equal(Errno.EINVAL, put.Errnum);
    }

    [Fact]
    public async Task Lookup_DirWithoutReaddir_IsEisdir_ValueWithReaddir_IsEnotdir()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "d.v", "1");
        var isdir = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, "d"));
        Assert.Equal(Errno.EISDIR, isdir.Errnum);
        var notdir = await Assert.ThrowsAsync<FluxException>(() => Kvs.LookupAsync(h, "d.v", ReadDir));
        Assert.Equal(Errno.ENOTDIR, notdir.Errnum);
        var missing = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, "d.nope"));
        Assert.Equal(Errno.ENOENT, missing.Errnum);
    }

    [Fact]
    public async Task ValueOverBlobSizeLimit_IsEfbig()
    {
        await using var inst = await KvsInstance.StartAsync(attrs: [new("content.blob-size-limit", "1024")]);
        await using var h = await inst.ConnectAsync();
        await Kvs.PutAsync(h, "small", new string('x', 1024));
        var ex = await Assert.ThrowsAsync<FluxException>(() => Kvs.PutAsync(h, "big", new string('x', 1025)));
        Assert.Equal(Errno.EFBIG, ex.Errnum);
        Assert.Contains("1024-byte limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNamespace_IsClearError()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(h, "a", ns: "nosuch"));
        Assert.Equal(Errno.EOPNOTSUPP, ex.Errnum);
        Assert.Contains("namespace 'nosuch' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespaces_GuestSeesAndUsesOnlyItsOwn()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var owner = await inst.ConnectAsync();
        await owner.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = "mine", ["owner"] = 4242, ["flags"] = 0 });
        await owner.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = "theirs", ["owner"] = 5353, ["flags"] = 0 });
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var list = (await guest.RpcAsync("kvs.namespace-list"))!["namespaces"]!.AsArray();
        Assert.Equal(["mine"], list.Select(n => n!["namespace"]!.GetValue<string>()));
        await Kvs.CommitNsAsync(guest, "mine", 0, Kvs.Op("k", Kvs.Val("guest value")));
        Assert.Equal("guest value", await Kvs.GetAsync(guest, "k", ns: "mine"));
        Assert.Equal("guest value", await Kvs.GetAsync(owner, "k", ns: "mine"));
        var other = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(guest, "k", ns: "theirs"));
        Assert.Equal(Errno.EPERM, other.Errnum);
        var primary = await Assert.ThrowsAsync<FluxException>(() => Kvs.PutAsync(guest, "x", "1"));
        Assert.Equal(Errno.EPERM, primary.Errnum);
        var create = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = "g" }));
        Assert.Equal(Errno.EPERM, create.Errnum);
        await owner.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = "mine" });
        var removed = await Assert.ThrowsAsync<FluxException>(() => Kvs.GetAsync(guest, "k", ns: "mine"));
        Assert.Equal(Errno.EOPNOTSUPP, removed.Errnum);
    }

    [Fact]
    public async Task WaitVersion_IsAnsweredWhenTheVersionIsReached()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var seq = (await h.RpcAsync("kvs.getroot"))!["rootseq"]!.GetValue<long>();
        var wait = h.RpcAsync("kvs.wait-version", new JsonObject { ["rootseq"] = seq + 2 });
        await Kvs.PutAsync(h, "v1", "1");
        Assert.False(wait.IsCompleted, "wait-version answered before the version was reached");
        await Kvs.PutAsync(h, "v2", "2");
        var r = await Await.Within(wait, "kvs.wait-version to be answered after two commits");
        Assert.Equal(seq + 2, r!["rootseq"]!.GetValue<long>());
    }

    [Fact]
    public async Task ContentStore_StoreThenLoad_RoundTripsAndUnknownIsEnoent()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var req = new Message(MessageType.Request) { Topic = "content.store", NodeIdTarget = NodeId.Any };
        req.SetPayload("hello blob"u8.ToArray());
        var digest = (await h.RequestAsync(req)).Payload.ToArray();
#pragma warning disable CA5350 // RFC 10's default content hash
        Assert.Equal(System.Security.Cryptography.SHA1.HashData("hello blob"u8), digest);
#pragma warning restore CA5350
        await h.RpcAsync("content.flush");
        await h.RpcAsync("content.dropcache");
        var load = new Message(MessageType.Request) { Topic = "content.load", NodeIdTarget = NodeId.Any };
        load.SetPayload(digest);
        Assert.Equal("hello blob"u8.ToArray(), (await h.RequestAsync(load)).Payload.ToArray());
        var missing = new Message(MessageType.Request) { Topic = "content.load", NodeIdTarget = NodeId.Any };
        missing.SetPayload(new byte[20]);
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RequestAsync(missing));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
    }

    [Fact]
    public async Task ContentStoreBatch_StoresEveryBlob_ThroughTheBackingStore_AndRefusesBadFraming()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        // Blobs on both sides of the 4 KiB compression threshold, an empty one, and enough more (some
        // repeated) that content-sqlite writes them several rows to a statement.
        var blobs = new List<byte[]> { "one"u8.ToArray(), Array.Empty<byte>(), Enumerable.Range(0, 10_000).Select(i => (byte)(i % 7)).ToArray(), "three"u8.ToArray() };
        blobs.AddRange(Enumerable.Range(0, 70).Select(i => System.Text.Encoding.UTF8.GetBytes($"blob {i % 50}")));
        var before = (await h.RpcAsync("content-sqlite.stats-get"))!["request.rx"]!.GetValue<long>();
        var req = new Message(MessageType.Request) { Topic = "content.store-batch", NodeIdTarget = NodeId.Any };
        req.SetPayload(Flux.Formats.BlobBatch.Encode([.. blobs.Select(b => (ReadOnlyMemory<byte>)b)]));
        var digests = Flux.Formats.BlobBatch.Digests((await h.RequestAsync(req)).Payload, blobs.Count, 20);
#pragma warning disable CA5350 // RFC 10's default content hash
        Assert.Equal(blobs.Select(b => System.Security.Cryptography.SHA1.HashData(b)), digests);
#pragma warning restore CA5350
        // Written back (in one backing-store batch), then read from the backing store, not the cache.
        await h.RpcAsync("content.flush");
        await h.RpcAsync("content.dropcache");
        for (var i = 0; i < blobs.Count; i++)
        {
            var load = new Message(MessageType.Request) { Topic = "content.load", NodeIdTarget = NodeId.Any };
            load.SetPayload(digests[i]);
            Assert.Equal(blobs[i], (await h.RequestAsync(load)).Payload.ToArray());
        }
        var stats = await h.RpcAsync("content-sqlite.stats-get");
        // One store-batch, one load per distinct blob after the cache was dropped (a repeat is then in
        // the cache), and this stats-get: not a store per blob.
        Assert.Equal(2 + blobs.Select(Convert.ToHexString).Distinct().Count(), stats!["request.rx"]!.GetValue<long>() - before);

        var bad = new Message(MessageType.Request) { Topic = "content.store-batch", NodeIdTarget = NodeId.Any };
        bad.SetPayload(new byte[] { 0, 0, 0, 9, 1, 2 });
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RequestAsync(bad));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
        Assert.Equal("store-batch: blob 0 at offset 0 claims 9 bytes but 2 remain", ex.Message);
    }

    [Fact]
    public async Task ConfigReload_BadCheckpointPeriod_IsRefusedWithFileAndKey()
    {
        var dir = TempDirs.Create("flux-kvs-conf-");
        await File.WriteAllTextAsync(Path.Combine(dir, "system.toml"), "[kvs]\ncheckpoint-period = \"1h\"\n");
        await using var inst = await KvsInstance.StartAsync(configPath: dir);
        await using var h = await inst.ConnectAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "system.toml"), "[kvs]\ncheckpoint-period = 42\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("config.reload"));
        Assert.Contains("system.toml: [kvs] checkpoint-period: expected a duration like \"30m\", got 42", ex.Message, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(dir, "system.toml"), "[kvs]\ncheckpoint-period = \"2s\"\ngc-threshold = 100\n");
        await h.RpcAsync("config.reload");
        var stats = await h.RpcAsync("kvs.stats-get");
        Assert.Equal(2.0, stats!["checkpoint-period"]!.GetValue<double>());
        Assert.Equal(100, stats["gc-threshold"]!.GetValue<long>());
    }
}
