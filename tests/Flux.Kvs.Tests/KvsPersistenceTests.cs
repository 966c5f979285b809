// Restart on the same statedir: every key is back; checkpoints and the clean-shutdown marker.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Modules.Content;

namespace Flux.Kvs.Tests;

public sealed class KvsPersistenceTests
{
    [Fact]
    public async Task Restart_SameStatedir_KeepsEveryKeyAndNamespace()
    {
        var statedir = TempDirs.Create("flux-kvs-restart-");
        await using (var inst = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await inst.ConnectAsync();
            await Kvs.CommitAsync(h, [.. Enumerable.Range(0, 2000).Select(i => Kvs.Op($"many.k{i}", Kvs.Val($"value {i}")))]);
            await Kvs.PutAsync(h, "a.b", "1");
            await Kvs.CommitAsync(h, Kvs.Op("log", Kvs.Val("one\n"), Kvs.AppendFlag));
            await Kvs.CommitAsync(h, Kvs.Op("log", Kvs.Val("two\n"), Kvs.AppendFlag));
            await h.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = "job-9", ["owner"] = 99 });
            await Kvs.CommitNsAsync(h, "job-9", 0, Kvs.Op("guest.key", Kvs.Val("g")));
        }
        Assert.True(File.Exists(Path.Combine(statedir, "content.sqlite")));
        await using (var again = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await again.ConnectAsync();
            Assert.Equal("1", await Kvs.GetAsync(h, "a.b"));
            Assert.Equal("value 1999", await Kvs.GetAsync(h, "many.k1999"));
            Assert.Equal("one\ntwo\n", await Kvs.GetAsync(h, "log"));
            Assert.Equal("g", await Kvs.GetAsync(h, "guest.key", ns: "job-9"));
            Assert.Contains("restored from the checkpoint", again.Dmesg(), StringComparison.Ordinal);
            Assert.DoesNotContain("not shut down cleanly", again.Dmesg(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_JournalHoldsRecordsSqliteLacks_ReplaysThemAndSaysSo()
    {
        var statedir = TempDirs.Create("flux-kvs-journal-");
        await using (var inst = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await inst.ConnectAsync();
            await Kvs.PutAsync(h, "a", "1");
        }
        // What a broker killed after answering a store leaves: a journal record SQLite does not hold.
        var blob = "journaled, never in SQLite"u8.ToArray();
        using (var j = ContentJournal.Start(Path.Combine(statedir, "content.journal"), lastSeq: 1_000_000))
        {
            j.Append([BlobBatch.Encode([ReadOnlyMemory<byte>.Empty, blob])]);
        }
        await using (var again = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await again.ConnectAsync();
            Assert.Contains("replayed 1 journal records", again.Dmesg(), StringComparison.Ordinal);
            Assert.Equal("1", await Kvs.GetAsync(h, "a"));
            var load = new Message(MessageType.Request) { Topic = "content-backing.load", NodeIdTarget = NodeId.Any };
#pragma warning disable CA5350 // RFC 10's default content hash
            load.SetPayload(System.Security.Cryptography.SHA1.HashData(blob));
#pragma warning restore CA5350
            Assert.Equal(blob, (await h.RequestAsync(load)).Payload.ToArray());
        }
        Assert.False(File.Exists(Path.Combine(statedir, "content.journal")), "the journal stayed after a clean shutdown");
    }

    [Fact]
    public async Task Restart_WithoutStatedir_UsesPrivateTemporaryOneAndSaysSo()
    {
        await using var inst = await KvsInstance.StartAsync(attrs: [], statedir: string.Empty);
        Assert.Contains("statedir is not set: using a private temporary directory", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GcOnShutdown_RemovesUnreachableBlobs_KeepsLiveKeys()
    {
        var statedir = TempDirs.Create("flux-kvs-gc-");
        long before;
        await using (var inst = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await inst.ConnectAsync();
            for (var i = 0; i < 50; i++)
            {
                await Kvs.PutAsync(h, "churn", new string((char)('a' + i % 26), 200 + i));
            }
            await h.RpcAsync("content.flush");
            before = (await h.RpcAsync("content-backing.stats-get"))!["object_count"]!.GetValue<long>();
            await h.RpcAsync("kvs.gc-on-shutdown");
        }
        await using (var again = await KvsInstance.StartAsync(statedir))
        {
            await using var h = await again.ConnectAsync();
            Assert.Equal(new string((char)('a' + 49 % 26), 249), await Kvs.GetAsync(h, "churn"));
            var after = (await h.RpcAsync("content-backing.stats-get"))!["object_count"]!.GetValue<long>();
            Assert.True(after < before / 4, $"gc left {after} of {before} blobs");
        }
    }
}
