// kill -9 of the broker at random points of KVS commit streams and a 2,000-job submission: after the
// restart every acknowledged key and job is there (the property of DESIGN §7 and docs/kvs.md).
using System.Collections.Concurrent;
using System.Globalization;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Kvs.Tests;

public sealed class CrashEndToEndTests
{
    private const int Rounds = 3;
    private const int Writers = 3;
    private const int Jobs = 2000;
    private const int Submitters = 32;

    [Fact]
    public async Task KillMinus9_AtRandomPoints_EveryAcknowledgedKeyAndJobSurvives()
    {
        var seed = Environment.GetEnvironmentVariable("FLUX_TEST_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var rng = new Random(seed);
        var statedir = TempDirs.Create("flux-crash-state-");
        // Simulated execution on a simulated cluster: the jobs go through the whole pipeline cheaply.
        var config = TempDirs.Create("flux-crash-conf-", "exec.toml", "[exec.testexec]\nenable = true\n");
        File.WriteAllText(Path.Combine(config, "resource.toml"), "[[resource.config]]\nhosts = \"node[0-63]\"\ncores = \"0-63\"\n");
        var keys = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var jobs = new ConcurrentDictionary<ulong, byte>();
        var log = new List<string>();
        for (var round = 0; round <= Rounds; round++)
        {
            await using var inst = await RealInstance.StartAsync(statedir, config);
            await CheckAsync(inst, keys, jobs, $"seed {seed}, after {round} kills ({string.Join("; ", log)})");
            if (round == Rounds)
            {
                var (code, stderr) = await inst.StopAsync();
                Assert.True(code == 0, $"seed {seed}: clean shutdown exited {code}:\n{stderr}");
                break;
            }
            if (round > 0)
            {
                await inst.EnableQueuesAsync();
            }
            // The kill comes when a random number of keys or of jobs has been acknowledged.
            var byJobs = rng.Next(2) == 0;
            var target = byJobs ? rng.Next(1, Jobs + 1) : rng.Next(1, 1500);
            var trigger = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var keyCount = 0;
            var jobCount = 0;
            var work = new List<Task>();
            for (var c = 0; c < Writers; c++)
            {
                var wrng = new Random(rng.Next());
                var prefix = $"r{round}.c{c}";
                work.Add(WriteKeysAsync(inst, prefix, wrng, keys, () =>
                {
                    if (Interlocked.Increment(ref keyCount) == target && !byJobs)
                    {
                        trigger.TrySetResult();
                    }
                }));
            }
            var next = 0;
            await using var sh = await inst.ConnectAsync();
            for (var i = 0; i < Submitters; i++)
            {
                work.Add(SubmitJobsAsync(sh, () => Interlocked.Increment(ref next) <= Jobs, jobs, () =>
                {
                    if (Interlocked.Increment(ref jobCount) == target && byJobs)
                    {
                        trigger.TrySetResult();
                    }
                }));
            }
            await Await.Within(trigger.Task, $"{target} acknowledged {(byJobs ? "jobs" : "keys")} (seed {seed}, round {round})");
            await inst.KillAsync();
            await Await.Within(Task.WhenAll(work), $"the clients to see the broker gone (seed {seed}, round {round})");
            log.Add($"round {round}: killed at {jobCount} jobs and {keyCount} keys acknowledged");
        }
    }

    // Commits of one or two keys, now and then a value big enough to be its own blob (a valref).
    private static async Task WriteKeysAsync(RealInstance inst, string prefix, Random rng, ConcurrentDictionary<string, string> acked, Action onAck)
    {
        await using var h = await inst.ConnectAsync();
        try
        {
            for (var i = 0; ; i++)
            {
                var txn = new KvsTxn();
                var batch = new List<(string Key, string Value)>();
                for (var k = rng.Next(1, 3); k > 0; k--)
                {
                    var key = $"{prefix}.d{i / 50}.k{i}x{k}";
                    var value = rng.Next(8) == 0 ? new string('v', rng.Next(100, 3000)) + i : $"{prefix}-{i}-{k}";
                    txn.Put(key, value);
                    batch.Add((key, value));
                }
                await h.KvsCommitAsync(txn);
                foreach (var (key, value) in batch)
                {
                    acked[key] = value;
                }
                onAck();
            }
        }
        catch (Exception ex) when (ex is FluxException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The broker was killed: the commit in flight was never acknowledged.
        }
    }

    private static async Task SubmitJobsAsync(FluxHandle h, Func<bool> more, ConcurrentDictionary<ulong, byte> acked, Action onAck)
    {
        try
        {
            while (more())
            {
                acked[await JobClient.SubmitAsync(h, JobClient.Job())] = 0;
                onAck();
            }
        }
        catch (Exception ex) when (ex is FluxException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The broker was killed: the submission in flight was never acknowledged.
        }
    }

    private static async Task CheckAsync(RealInstance inst, ConcurrentDictionary<string, string> keys, ConcurrentDictionary<ulong, byte> jobs, string context)
    {
        await using var h = await inst.ConnectAsync();
        foreach (var (key, value) in keys)
        {
            var got = await h.KvsGetStringAsync(key);
            Assert.True(got == value, $"{context}: acknowledged key {key} is {(got is null ? "missing" : $"'{got}'")} after the restart");
        }
        var known = await inst.JobIdsAsync();
        var missing = jobs.Keys.Where(id => !known.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{context}: job-manager does not know {missing.Count} of {jobs.Count} acknowledged jobs after the restart, e.g. {string.Join(", ", missing.Take(5))}");
    }
}
