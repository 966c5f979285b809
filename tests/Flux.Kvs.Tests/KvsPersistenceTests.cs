// Restart on the same statedir: every key is back; checkpoints and the clean-shutdown marker.
using System.Text.Json.Nodes;

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
