// Concurrent commits from many clients are merged without losing any update.
using System.Text.Json.Nodes;

namespace Flux.Kvs.Tests;

public sealed class KvsConcurrencyTests
{
    [Fact]
    public async Task EightWriters_ThousandsOfCommits_NoLostUpdate()
    {
        const int writers = 8;
        const int commits = 400;
        await using var inst = await KvsInstance.StartAsync();
        var handles = new List<Flux.Client.Handle.FluxHandle>();
        for (var w = 0; w < writers; w++)
        {
            handles.Add(await inst.ConnectAsync());
        }
        var tasks = handles.Select((h, w) => Task.Run(async () =>
        {
            for (var i = 0; i < commits; i++)
            {
                // One private key, one shared directory entry, one line appended to a shared log.
                await Kvs.CommitAsync(h,
                    Kvs.Op($"private.w{w}.k{i}", Kvs.Val($"{w}:{i}")),
                    Kvs.Op($"shared.w{w}", Kvs.Val(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    Kvs.Op("shared.log", Kvs.Val($"{w}:{i}\n"), flags: Kvs.AppendFlag));
            }
        })).ToList();
        await Await.Within(Task.WhenAll(tasks), $"{writers} writers to finish {commits} commits each");
        await using var check = await inst.ConnectAsync();
        for (var w = 0; w < writers; w++)
        {
            var dir = (JsonObject)(await Kvs.LookupAsync(check, $"private.w{w}", 1))["data"]!;
            Assert.Equal(commits, dir.Count);
            Assert.Equal((commits - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await Kvs.GetAsync(check, $"shared.w{w}"));
        }
        var lines = (await Kvs.GetAsync(check, "shared.log")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(writers * commits, lines.Length);
        Assert.Equal(writers * commits, lines.Distinct().Count());
        for (var w = 0; w < writers; w++)
        {
            // Each writer's lines appear in the order it committed them.
            var mine = lines.Where(l => l.StartsWith($"{w}:", StringComparison.Ordinal)).Select(l => int.Parse(l[(l.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, commits), mine);
        }
        foreach (var h in handles)
        {
            await h.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConcurrentCommits_OneFails_OthersStillApplied()
    {
        await using var inst = await KvsInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Kvs.CommitAsync(h, Kvs.Op("dir.x", Kvs.Val("1")));
        // Appending to a directory fails; the commits queued beside it must not be lost.
        var good = Enumerable.Range(0, 50).Select(i => Kvs.CommitAsync(h, Kvs.Op($"ok.k{i}", Kvs.Val("v")))).ToList();
        var bad = Kvs.CommitAsync(h, Kvs.Op("dir", Kvs.Val("x"), flags: Kvs.AppendFlag));
        await Await.Within(Task.WhenAll(good), "the good commits");
        var ex = await Assert.ThrowsAsync<Flux.Abstractions.FluxException>(() => bad);
        Assert.Equal(Flux.Abstractions.Errno.EISDIR, ex.Errnum);
        Assert.Equal(50, ((JsonObject)(await Kvs.LookupAsync(h, "ok", 1))["data"]!).Count);
    }
}
