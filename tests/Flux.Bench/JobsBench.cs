// Job throughput with simulated execution (testexec), as flux-core's throughput test measures it:
// N jobs submitted with `flux submit --cc`, from first submit to last inactive, and broker RSS.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

internal sealed class JobsBench : IBench
{
    public string Name => "jobs";

    public string Description => "testexec throughput: flux submit --cc=1-N (N=1000,10000), jobs/s, submit rate, broker RSS";

    public async Task RunAsync(string[] args)
    {
        var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1000, 10000];
        var root = BenchRepo.Root;
        var flux = Path.Combine(root, "artifacts", "Release", "flux");
        var conf = Directory.CreateTempSubdirectory("flux-bench-jobs-").FullName;
        // Simulated execution on a simulated cluster (as flux-core's throughput test fakes resources):
        // jobs never wait for cores, so the figure is the pipeline's own cost.
        await File.WriteAllTextAsync(Path.Combine(conf, "exec.toml"), "[exec.testexec]\nenable = true\n");
        await File.WriteAllTextAsync(Path.Combine(conf, "resource.toml"), "[[resource.config]]\nhosts = \"node[0-255]\"\ncores = \"0-63\"\n");
        foreach (var n in counts)
        {
            // The script runs inside the instance: times are taken there, so instance start-up is excluded.
            var script = $$"""
                t0=$(date +%s.%N)
                flux submit --cc=1-{{n}} --quiet --setattr=system.exec.test.run_duration=1ms true
                t1=$(date +%s.%N)
                flux queue drain
                t2=$(date +%s.%N)
                sleep 6   # at rest: the broker compacts its heap after a burst once it is quiet
                rss=$(awk '/VmRSS/ {print $2}' /proc/$(flux getattr broker.pid)/status)
                echo "$t0 $t1 $t2 $rss"
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
            if (p.ExitCode != 0 || f.Length != 4)
            {
                Console.WriteLine($"N={n}: run failed (exit {p.ExitCode}): {output}");
                continue;
            }
            var t0 = double.Parse(f[0], CultureInfo.InvariantCulture);
            var t1 = double.Parse(f[1], CultureInfo.InvariantCulture);
            var t2 = double.Parse(f[2], CultureInfo.InvariantCulture);
            var rssMb = double.Parse(f[3], CultureInfo.InvariantCulture) / 1024;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n,6}: submit {n / (t1 - t0),8:F0} jobs/s   end-to-end {n / (t2 - t0),8:F0} jobs/s ({t2 - t0:F2}s)   broker RSS at rest {rssMb:F0} MiB with {n} inactive jobs"));
        }
        Directory.Delete(conf, true);
    }
}
