// Job throughput with simulated execution (testexec), as flux-core's throughput test measures it:
// N jobs submitted with `flux submit --cc`, from first submit to last inactive, and broker RSS.
using System.Globalization;

namespace Flux.Bench;

internal sealed class JobsBench : IBench
{
    public string Name => "jobs";

    public string Description => "testexec throughput: flux submit --cc=1-N (N=1000,10000), first submit to last inactive, whole commands, broker RSS; --statedir: in a statedir (durable, journaled)";

    public async Task RunAsync(string[] args)
    {
        // Without a statedir (as `flux start` runs by default, and flux-core's throughput test) the
        // content store is temporary and keeps no journal; --statedir gives each run a fresh one.
        var durable = args.Contains("--statedir");
        args = [.. args.Where(a => a != "--statedir")];
        var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1000, 10000];
        var conf = ThroughputRun.Config();
        Console.WriteLine(durable ? "store: a statedir (durable: commits journaled before they are answered)" : "store: temporary (no statedir)");
        foreach (var n in counts)
        {
            var statedir = durable ? Directory.CreateTempSubdirectory("flux-bench-jobs-state-").FullName : null;
            var run = await ThroughputRun.RunAsync(conf, n, statedir: statedir);
            if (statedir is not null)
            {
                Directory.Delete(statedir, true);
            }
            if (run is not { } r)
            {
                continue;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n,6}: first submit -> last inactive {r.Rate,6:F0} jobs/s ({r.Span:F2}s), submitted in {r.Submitted:F2}s" +
                $" | whole commands {r.WholeRate,6:F0} jobs/s ({r.Whole:F2}s; flux submit {r.SubmitCommand:F2}s)" +
                $" | broker RSS at rest {r.RssKb / 1024:F0} MiB with {n} inactive jobs"));
        }
        Directory.Delete(conf, true);
    }
}
