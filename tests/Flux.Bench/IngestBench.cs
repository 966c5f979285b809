// Submission rate through job-ingest's validators: the default (jobspec), jobspec + feasibility (the admin guide's
// system instance example), and validation off, interleaved round by round, as flux-core's throughput test reports its submit rate.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

internal sealed class IngestBench : IBench
{
    private static readonly (string Name, string Toml)[] Configs =
    [
        ("jobspec (default)", ""),
        ("jobspec+feasibility", "[ingest.validator]\nplugins = [\"jobspec\", \"feasibility\"]\n"),
        ("validator disabled", "[ingest.validator]\ndisable = true\n"),
    ];

    public string Name => "ingest";

    public string Description => "submit rate with [ingest.validator] jobspec / jobspec+feasibility / disabled: flux submit --cc=1-N (N=1000), ROUNDS (3) interleaved, medians";

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var flux = Path.Combine(BenchRepo.Bin, "flux");
        var results = Configs.Select(_ => new List<(double Submit, double Command, double Throughput)>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < Configs.Length; c++)
            {
                var conf = Directory.CreateTempSubdirectory("flux-bench-ingest-").FullName;
                try
                {
                    // The jobs bench's simulated cluster: the scheduler can always satisfy the jobs, so feasibility says yes.
                    await File.WriteAllTextAsync(Path.Combine(conf, "exec.toml"), "[exec.testexec]\nenable = true\n");
                    await File.WriteAllTextAsync(Path.Combine(conf, "resource.toml"), "[[resource.config]]\nhosts = \"node[0-255]\"\ncores = \"0-63\"\n");
                    await File.WriteAllTextAsync(Path.Combine(conf, "ingest.toml"), Configs[c].Toml);
                    if (await RunOnceAsync(flux, conf, n) is { } r)
                    {
                        results[c].Add(r);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round + 1} {Configs[c].Name,-20}: submit rate {r.Submit,6:F0} jobs/s (t_submit span), flux submit {r.Command,6:F0} jobs/s, throughput {r.Throughput,5:F0} jobs/s"));
                    }
                }
                finally
                {
                    Directory.Delete(conf, true);
                }
            }
        }
        Console.WriteLine($"medians of {rounds} rounds, N={n}:");
        for (var c = 0; c < Configs.Length; c++)
        {
            if (results[c].Count == 0)
            {
                continue;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Configs[c].Name,-20}: submit rate {Median(results[c].Select(r => r.Submit)),6:F0} jobs/s, flux submit {Median(results[c].Select(r => r.Command)),6:F0} jobs/s, throughput {Median(results[c].Select(r => r.Throughput)),5:F0} jobs/s"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    // One instance: the submit rate from the jobs' own t_submit (first to last, job-ingest's clock), the
    // `flux submit` command's own rate (its start-up included), and first submit to last inactive.
    private static async Task<(double Submit, double Command, double Throughput)?> RunOnceAsync(string flux, string conf, int n)
    {
        var script = $$"""
            t0=$(date +%s.%N)
            flux submit --cc=1-{{n}} --quiet --setattr=system.exec.test.run_duration=1ms true || exit 1
            t1=$(date +%s.%N)
            flux queue drain
            span=$(flux jobs -a -n -c {{n}} -o '{t_submit} {t_inactive}' | awk 'NR==1{a=$1;b=$1;c=$2} {if($1<a)a=$1; if($1>b)b=$1; if($2>c)c=$2} END{printf "%.6f %.6f %.6f", a, b, c}')
            echo "$t0 $t1 $span"
            """;
        var psi = new ProcessStartInfo(flux) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "start", $"--config-path={conf}", "sh", "-c", script })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var f = output.Trim().Split('\n')[^1].Split(' ');
        if (p.ExitCode != 0 || f.Length != 5)
        {
            Console.WriteLine($"run failed (exit {p.ExitCode}): {output}");
            return null;
        }
        var v = f.Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var (t0, t1, firstSubmit, lastSubmit, lastInactive) = (v[0], v[1], v[2], v[3], v[4]);
        return (n / (lastSubmit - firstSubmit), n / (t1 - t0), n / (lastInactive - firstSubmit));
    }
}
