// The jobtap overhead of issue 14: testexec throughput with the builtins only vs five jobtap plugins, two validators and one frobnicator.
using System.Globalization;

namespace Flux.Bench;

/// <summary>
/// Runs the jobs bench per N, round by round, interleaving the configurations, and prints the medians:
/// "builtins" (nothing configured: the builtin jobtap plugins, the default <c>jobspec</c> validator) and
/// "site", configured here as a site would: five jobtap plugins doing per-job work (the sample
/// active-job-limit, alloc-check, perilog.so, and .limit-duration and .limit-job-size with limits to
/// check), the <c>jobspec</c> and <c>feasibility</c> validators, and the <c>defaults</c> frobnicator with
/// <c>[policy.jobspec.defaults]</c>. With --stress a third configuration adds the two test plugins that
/// subscribe to "*" and record every call (the worst case of a plugin reading every IN). --conf=FILE.toml
/// adds configuration to the site and stress runs. Every job has a duration and a size, so that every
/// configuration submits the same jobspec.
/// </summary>
internal sealed class JobtapBench : IBench
{
    public string Name => "jobtap";

    public string Description => "jobtap overhead: testexec throughput (N=1000,10000), builtins vs five plugins + 2 validators + 1 frobnicator [--stress] [--conf=FILE.toml] [--rounds=R (3)]";

    public async Task RunAsync(string[] args)
    {
        var extra = args.Where(a => a.StartsWith("--conf=", StringComparison.Ordinal)).Select(a => a["--conf=".Length..]).ToList();
        var rounds = args.FirstOrDefault(a => a.StartsWith("--rounds=", StringComparison.Ordinal)) is { } r ? int.Parse(r["--rounds=".Length..], CultureInfo.InvariantCulture) : 3;
        var stress = args.Contains("--stress");
        var counts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        counts = counts.Length > 0 ? counts : [1000, 10000];
        var sample = Path.Combine(BenchRepo.Root, "samples", "ActiveJobLimit", "bin", "Release", "net10.0", "ActiveJobLimit.dll");
        var testPlugins = new[]
        {
            Path.Combine(BenchRepo.Bin, "testplugins", "JobtapTestPlugin", "JobtapTestPlugin.dll"),
            Path.Combine(BenchRepo.Bin, "testplugins", "JobtapOrderPlugin", "JobtapOrderPlugin.dll"),
        };
        if (new[] { sample }.Concat(stress ? testPlugins : []).FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            Console.WriteLine($"{missing} is missing: run ./build.sh first");
            return;
        }
        var extras = extra.Select((f, i) => ($"extra{i}.toml", File.ReadAllText(f))).ToArray();
        var configs = new List<(string Name, string Dir)>
        {
            ("builtins", ThroughputRun.Config()),
            ("site", ThroughputRun.Config([("site.toml", SiteToml(sample, [])), .. extras])),
        };
        if (stress)
        {
            configs.Add(("stress", ThroughputRun.Config([("site.toml", SiteToml(sample, testPlugins)), .. extras])));
        }
        Console.WriteLine("builtins: no configuration (builtin jobtap plugins; [ingest.validator] default: jobspec)");
        Console.WriteLine($"site: jobtap active-job-limit (sample, max=1000000), alloc-check, perilog.so (no prolog/epilog commands), .limit-duration (1h), .limit-job-size (max 16 nodes, 64 cores; min 1 core); validators jobspec, feasibility; frobnicator defaults (duration 1h){(extras.Length > 0 ? " + " + string.Join(", ", extra) : "")}");
        if (stress)
        {
            Console.WriteLine("stress: site + jobtap-test and jobtap-order (subscribe to \"*\", read every IN and record every call)");
        }
        Console.WriteLine($"load average at start: {LoadAverage()}");
        const string submit = "--setattr=system.duration=60 -n1";
        foreach (var n in counts)
        {
            var results = configs.Select(_ => new List<ThroughputRun>()).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                for (var c = 0; c < configs.Count; c++)
                {
                    if (await ThroughputRun.RunAsync(configs[c].Dir, n, submit, atRest: false) is { } run)
                    {
                        results[c].Add(run);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"N={n,6} round {round + 1} {configs[c].Name,-8}: {run.Rate,6:F0} jobs/s (first submit -> last inactive), whole commands {run.WholeRate,6:F0} jobs/s, broker CPU {run.BrokerCpuPerJobMs:F2} ms/job, load {LoadAverage()}"));
                    }
                }
            }
            if (results.Any(x => x.Count == 0))
            {
                continue;
            }
            var rate = results.Select(x => Median(x.Select(v => v.Rate))).ToArray();
            var whole = results.Select(x => Median(x.Select(v => v.WholeRate))).ToArray();
            var cpu = results.Select(x => Median(x.Select(v => v.BrokerCpuPerJobMs))).ToArray();
            for (var c = 1; c < configs.Count; c++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"N={n,6} medians of {rounds}: builtins {rate[0],6:F0} jobs/s, {configs[c].Name} {rate[c],6:F0} jobs/s, overhead {Overhead(rate[0], rate[c]):F1}%" +
                    $" | whole commands {whole[0],6:F0} vs {whole[c],6:F0} jobs/s, overhead {Overhead(whole[0], whole[c]):F1}%" +
                    $" | broker CPU {cpu[0]:F2} vs {cpu[c]:F2} ms/job, {(cpu[c] / cpu[0] - 1) * 100:F1}% more"));
            }
        }
        Console.WriteLine($"load average at end: {LoadAverage()}");
        foreach (var (_, dir) in configs)
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The site configuration: five jobtap plugins at work, two validators, one frobnicator (and any more plugins).</summary>
    private static string SiteToml(string sample, string[] more) => $$"""
        [job-manager]
        plugins = [
          { load = "{{sample}}", conf = { max = 1000000 } },
          { load = "alloc-check" },
          { load = "perilog.so" },
        {{string.Concat(more.Select(p => $"  {{ load = \"{p}\" }},\n"))}}]
        [policy.limits]
        duration = "1h"
        [policy.limits.job-size.max]
        ncores = 64
        nnodes = 16
        [policy.limits.job-size.min]
        ncores = 1
        [policy.jobspec.defaults.system]
        duration = "1h"
        [ingest.validator]
        plugins = ["jobspec", "feasibility"]
        [ingest.frobnicator]
        plugins = ["defaults"]
        """;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static double Overhead(double without, double with) => (without - with) / without * 100;
}
