// Job throughput with simulated execution (testexec), as flux-core's throughput test measures it:
// N jobs submitted with `flux submit --cc`, from first submit to last inactive, and broker RSS.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

internal sealed class JobsBench : IBench
{
    public string Name => "jobs";

    public string Description => "testexec throughput: flux submit --cc=1-N (N=1000,10000), first submit to last inactive, whole commands, broker RSS";

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
            // "first submit -> last inactive" is flux-core's throughput measure (t/throughput.py starts
            // its clock at its first submit, inside an interpreter already running): it is read from
            // the jobs' own timestamps (job-ingest's t_submit, job-manager's t_inactive). "whole" also
            // counts starting the two flux commands (.NET start-up of `flux submit` and `flux queue drain`).
            var script = $$"""
                t0=$(date +%s.%N)
                flux submit --cc=1-{{n}} --quiet --setattr=system.exec.test.run_duration=1ms true
                t1=$(date +%s.%N)
                flux queue drain
                t2=$(date +%s.%N)
                span=$(flux jobs -a -n -c {{n}} -o '{t_submit} {t_inactive}' | awk 'NR==1{a=$1;b=$1;c=$2} {if($1<a)a=$1; if($1>b)b=$1; if($2>c)c=$2} END{printf "%.6f %.6f %.6f", a, b, c}')
                sleep 6   # at rest: the broker compacts its heap after a burst once it is quiet
                rss=$(awk '/VmRSS/ {print $2}' /proc/$(flux getattr broker.pid)/status)
                echo "$t0 $t1 $t2 $span $rss"
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
            if (p.ExitCode != 0 || f.Length != 7)
            {
                Console.WriteLine($"N={n}: run failed (exit {p.ExitCode}): {output}");
                continue;
            }
            var v = f.Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var (t0, t1, t2, firstSubmit, lastSubmit, lastInactive, rssKb) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n,6}: first submit -> last inactive {n / (lastInactive - firstSubmit),6:F0} jobs/s ({lastInactive - firstSubmit:F2}s), submitted in {lastSubmit - firstSubmit:F2}s" +
                $" | whole commands {n / (t2 - t0),6:F0} jobs/s ({t2 - t0:F2}s; flux submit {t1 - t0:F2}s)" +
                $" | broker RSS at rest {rssKb / 1024:F0} MiB with {n} inactive jobs"));
        }
        Directory.Delete(conf, true);
    }
}
