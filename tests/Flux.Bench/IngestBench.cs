// Submission rate through job-ingest's validators: the default (jobspec), jobspec + feasibility (the admin guide's
// system instance example), and validation off, interleaved round by round, as flux-core's throughput test reports its submit rate.
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
        var results = Configs.Select(_ => new List<ThroughputRun>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < Configs.Length; c++)
            {
                // The jobs bench's simulated cluster: the scheduler can always satisfy the jobs, so feasibility says yes.
                var conf = ThroughputRun.Config(("ingest.toml", Configs[c].Toml));
                try
                {
                    if (await ThroughputRun.RunAsync(conf, n, atRest: false) is { } r)
                    {
                        results[c].Add(r);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round + 1} {Configs[c].Name,-20}: submit rate {SubmitRate(r),6:F0} jobs/s (t_submit span), flux submit {CommandRate(r),6:F0} jobs/s, throughput {r.Rate,5:F0} jobs/s"));
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
                $"  {Configs[c].Name,-20}: submit rate {Median(results[c].Select(SubmitRate)),6:F0} jobs/s, flux submit {Median(results[c].Select(CommandRate)),6:F0} jobs/s, throughput {Median(results[c].Select(r => r.Rate)),5:F0} jobs/s"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    // The submit rate from the jobs' own t_submit (first to last, job-ingest's clock), and the
    // `flux submit` command's own rate (its start-up included).
    private static double SubmitRate(ThroughputRun r) => r.Jobs / r.Submitted;

    private static double CommandRate(ThroughputRun r) => r.Jobs / r.SubmitCommand;
}
