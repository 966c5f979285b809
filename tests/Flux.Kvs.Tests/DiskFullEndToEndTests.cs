// A full disk under the statedir (a small tmpfs): writes fail with ENOSPC to their callers, the store
// recovers once space returns, and nothing acknowledged is lost across a restart.
using System.Globalization;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Kvs.Tests;

public sealed class DiskFullEndToEndTests
{
    [MountFact]
    public async Task DiskFull_PutAndSubmit_FailWithEnospcThenRecoverAndKeepAcknowledgedKeys()
    {
        using var fs = Tmpfs.Mount("2m");
        var statedir = Path.Combine(fs.Dir, "state");
        var acked = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var inst = await RealInstance.StartAsync(statedir))
        {
            await using var h = await inst.ConnectAsync();
            await PutAsync(h, acked, "before", 20);
            var env = new Dictionary<string, string> { ["FLUX_URI"] = inst.Uri };
            // Each failed write gives back the space of its WAL: the disk is filled again before each.
            fs.Fill();
            var ex = await Assert.ThrowsAsync<FluxException>(() => h.KvsCommitAsync(new KvsTxn().Put("full.key", "x")));
            Assert.Equal(Errno.ENOSPC, ex.Errnum);
            fs.Fill();
            var put = await FluxProcess.RunAsync(["kvs", "put", "full.cli=1"], env: env);
            Assert.True(put.ExitCode != 0, put.ToString());
            Assert.Contains("flux-kvs: No space left on device", put.Stderr, StringComparison.Ordinal);
            fs.Fill();
            var submit = await FluxProcess.RunAsync(["submit", "true"], env: env);
            Assert.True(submit.ExitCode != 0, submit.ToString());
            Assert.Contains("flux-submit: No space left on device", submit.Stderr, StringComparison.Ordinal);
            fs.Free();
            await PutAsync(h, acked, "after", 20);
            var (code, stderr) = await inst.StopAsync();
            Assert.True(code == 0, $"exit {code} after a clean shutdown with room again:\n{stderr}");
        }
        await using (var again = await RealInstance.StartAsync(statedir))
        {
            await CheckAsync(again, acked, "after the restart");
            Assert.Equal(0, (await again.StopAsync()).ExitCode);
        }
    }

    [MountFact]
    public async Task DiskFull_AtRandomPoint_StoreRecoversAfterGrowthAndKeepsAcknowledgedKeys()
    {
        var seed = Environment.GetEnvironmentVariable("FLUX_TEST_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var rng = new Random(seed);
        // The size decides where the disk fills up: between 512 KiB and 2 MiB.
        var size = $"{rng.Next(2, 9) * 256}k";
        using var fs = Tmpfs.Mount(size);
        var statedir = Path.Combine(fs.Dir, "state");
        var acked = new Dictionary<string, string>(StringComparer.Ordinal);
        var context = $"seed {seed}, tmpfs {size}";
        await using (var inst = await RealInstance.StartAsync(statedir))
        {
            await using var h = await inst.ConnectAsync();
            FluxException? full = null;
            for (var i = 0; i < 20_000 && full is null; i++)
            {
                var key = $"fill.d{i / 100}.k{i}";
                var value = new string((char)('a' + (i % 26)), rng.Next(10, 6000)) + i.ToString(CultureInfo.InvariantCulture);
                try
                {
                    await h.KvsCommitAsync(new KvsTxn().Put(key, value));
                    acked[key] = value;
                }
                catch (FluxException ex)
                {
                    full = ex;
                }
            }
            Assert.True(full is not null, $"{context}: the disk never filled up after {acked.Count} commits");
            Assert.True(full.Errnum == Errno.ENOSPC, $"{context}: expected ENOSPC, got {full.Errnum}: {full.Message}");
            fs.Resize("64m");
            await PutAsync(h, acked, "grown", 50);
            var (code, stderr) = await inst.StopAsync();
            Assert.True(code == 0, $"{context}: exit {code} after a clean shutdown with room again:\n{stderr}");
        }
        await using (var again = await RealInstance.StartAsync(statedir))
        {
            await CheckAsync(again, acked, $"{context}, {acked.Count} keys acknowledged, after the restart");
            Assert.Equal(0, (await again.StopAsync()).ExitCode);
        }
    }

    private static async Task PutAsync(FluxHandle h, Dictionary<string, string> acked, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var key = $"{prefix}.k{i}";
            var value = $"{prefix}-{i}";
            await h.KvsCommitAsync(new KvsTxn().Put(key, value));
            acked[key] = value;
        }
    }

    private static async Task CheckAsync(RealInstance inst, Dictionary<string, string> acked, string context)
    {
        await using var h = await inst.ConnectAsync();
        foreach (var (key, value) in acked)
        {
            var got = await h.KvsGetStringAsync(key);
            Assert.True(got == value, $"{context}: acknowledged key {key} is {(got is null ? "missing" : $"'{got}'")}");
        }
    }
}
