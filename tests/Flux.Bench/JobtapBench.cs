// The jobtap overhead of issue 14: testexec throughput without extra plugins and with five jobtap plugins doing work.
using System.Globalization;

namespace Flux.Bench;

/// <summary>
/// Runs the jobs bench twice per N (best of --reps runs each, alternating): the builtins only, then
/// with five more jobtap plugins at work (the sample ActiveJobLimit with a high max, the two test
/// plugins, .limit-duration and .limit-job-size with limits to check) and any extra configuration
/// given by --conf=FILE.toml (ingest validators and frobnicators, say), then prints both rates and the
/// overhead. Every job has a duration and a size so that both runs submit the same jobspec.
/// </summary>
internal sealed class JobtapBench : IBench
{
    public string Name => "jobtap";

    public string Description => "jobtap overhead: testexec throughput (N=1000,10000) with no extra plugins vs five jobtap plugins [--conf=FILE.toml] [--reps=R]";

    public async Task RunAsync(string[] args)
    {
        var extra = args.Where(a => a.StartsWith("--conf=", StringComparison.Ordinal)).Select(a => a["--conf=".Length..]).ToList();
        var reps = args.FirstOrDefault(a => a.StartsWith("--reps=", StringComparison.Ordinal)) is { } r ? int.Parse(r["--reps=".Length..], CultureInfo.InvariantCulture) : 2;
        var counts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        counts = counts.Length > 0 ? counts : [1000, 10000];
        var plugins = new[]
        {
            Path.Combine(BenchRepo.Root, "samples", "ActiveJobLimit", "bin", "Release", "net10.0", "ActiveJobLimit.dll"),
            Path.Combine(BenchRepo.Bin, "testplugins", "JobtapTestPlugin", "JobtapTestPlugin.dll"),
            Path.Combine(BenchRepo.Bin, "testplugins", "JobtapOrderPlugin", "JobtapOrderPlugin.dll"),
        };
        if (plugins.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            Console.WriteLine($"{missing} is missing: run ./build.sh first");
            return;
        }
        var jobtap = $$"""
            [job-manager]
            plugins = [
              { load = "{{plugins[0]}}", conf = { max = 1000000 } },
              { load = "{{plugins[1]}}" },
              { load = "{{plugins[2]}}" },
            ]
            [policy.limits]
            duration = "1h"
            [policy.limits.job-size.max]
            ncores = 64
            nnodes = 16
            """;
        var bare = ThroughputRun.Config();
        var loaded = ThroughputRun.Config([("jobtap.toml", jobtap), .. extra.Select((f, i) => ($"extra{i}.toml", File.ReadAllText(f)))]);
        Console.WriteLine($"with plugins: {string.Join(", ", plugins.Select(Path.GetFileNameWithoutExtension))}, .limit-duration and .limit-job-size at work{(extra.Count > 0 ? " + " + string.Join(", ", extra) : "")}");
        const string submit = "--setattr=system.duration=60 -n1";
        foreach (var n in counts)
        {
            ThroughputRun? best0 = null, best1 = null;
            for (var i = 0; i < reps; i++)
            {
                best0 = Best(best0, await ThroughputRun.RunAsync(bare, n, submit));
                best1 = Best(best1, await ThroughputRun.RunAsync(loaded, n, submit));
            }
            if (best0 is null || best1 is null)
            {
                continue;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n,6}: first submit -> last inactive: no extra plugins {best0.Rate,6:F0} jobs/s, five plugins {best1.Rate,6:F0} jobs/s, overhead {Overhead(best0.Rate, best1.Rate):F1}%" +
                $" | whole commands: {best0.WholeRate,6:F0} vs {best1.WholeRate,6:F0} jobs/s, overhead {Overhead(best0.WholeRate, best1.WholeRate):F1}% (best of {reps})"));
        }
        Directory.Delete(bare, true);
        Directory.Delete(loaded, true);
    }

    private static ThroughputRun? Best(ThroughputRun? a, ThroughputRun? b) => a is null ? b : b is null || a.Rate >= b.Rate ? a : b;

    private static double Overhead(double without, double with) => (without - with) / without * 100;
}
