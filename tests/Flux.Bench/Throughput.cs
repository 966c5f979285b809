// One testexec throughput run as a user runs it: `flux start` with a config folder, flux submit --cc=1-N, flux queue drain.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

/// <summary>
/// The figures of one run: jobs per second from first submit to last inactive, and of the whole commands,
/// and the broker's CPU time (user + system) from the submit command's start to the end of the drain.
/// </summary>
internal sealed record ThroughputRun(int Jobs, double Span, double Submitted, double Whole, double SubmitCommand, double RssKb, double BrokerCpu)
{
    public double Rate => Jobs / Span;

    /// <summary>The broker's CPU time per job, in milliseconds: steadier than a rate on a busy machine.</summary>
    public double BrokerCpuPerJobMs => BrokerCpu * 1000 / Jobs;

    public double WholeRate => Jobs / Whole;

    /// <summary>
    /// Runs N jobs in a new instance configured by the *.toml files of <paramref name="conf"/>; null if
    /// the run failed (its output is printed). <paramref name="submitArgs"/> go to flux submit. With
    /// <paramref name="atRest"/> false the broker's RSS is read at once instead of after 6 s of quiet.
    /// With a <paramref name="statedir"/> the instance keeps its content store there.
    /// </summary>
    public static async Task<ThroughputRun?> RunAsync(string conf, int n, string submitArgs = "", bool atRest = true, string? statedir = null)
    {
        var flux = Path.Combine(BenchRepo.Bin, "flux");
        // The script runs inside the instance: times are taken there, so instance start-up is excluded.
        // "first submit -> last inactive" is flux-core's throughput measure (t/throughput.py starts
        // its clock at its first submit, inside an interpreter already running): it is read from
        // the jobs' own timestamps (job-ingest's t_submit, job-manager's t_inactive). "whole" also
        // counts starting the two flux commands (.NET start-up of `flux submit` and `flux queue drain`).
        var script = $$"""
            p=$(flux getattr broker.pid)
            c0=$(awk '{print $14+$15}' /proc/$p/stat)
            t0=$(date +%s.%N)
            flux submit --cc=1-{{n}} --quiet --setattr=system.exec.test.run_duration=1ms {{submitArgs}} true
            t1=$(date +%s.%N)
            flux queue drain
            t2=$(date +%s.%N)
            c1=$(awk '{print $14+$15}' /proc/$p/stat)
            span=$(flux jobs -a -n -c {{n}} -o '{t_submit} {t_inactive}' | awk 'NR==1{a=$1;b=$1;c=$2} {if($1<a)a=$1; if($1>b)b=$1; if($2>c)c=$2} END{printf "%.6f %.6f %.6f", a, b, c}')
            {{(atRest ? "sleep 6   # at rest: the broker compacts its heap after a burst once it is quiet" : "")}}
            rss=$(awk '/VmRSS/ {print $2}' /proc/$p/status)
            echo "$t0 $t1 $t2 $span $rss $(( c1 - c0 )) $(getconf CLK_TCK)"
            """;
        var psi = new ProcessStartInfo(flux) { RedirectStandardOutput = true, UseShellExecute = false };
        string[] start = statedir is null ? ["start", $"--config-path={conf}"] : ["start", $"--config-path={conf}", $"-Sstatedir={statedir}"];
        foreach (var a in start.Concat(["sh", "-c", script]))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var f = output.Trim().Split('\n')[^1].Split(' ');
        if (p.ExitCode != 0 || f.Length != 9)
        {
            Console.WriteLine($"N={n}: run failed (exit {p.ExitCode}): {output}");
            return null;
        }
        var v = f.Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var (t0, t1, t2, firstSubmit, lastSubmit, lastInactive, rssKb) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        return new ThroughputRun(n, lastInactive - firstSubmit, lastSubmit - firstSubmit, t2 - t0, t1 - t0, rssKb, v[7] / v[8]);
    }

    /// <summary>A config folder with testexec on a simulated 256-node cluster, plus extra TOML files.</summary>
    public static string Config(params (string File, string Text)[] extra)
    {
        var conf = Directory.CreateTempSubdirectory("flux-bench-jobs-").FullName;
        // Simulated execution on a simulated cluster (as flux-core's throughput test fakes resources):
        // jobs never wait for cores, so the figure is the pipeline's own cost.
        File.WriteAllText(Path.Combine(conf, "exec.toml"), "[exec.testexec]\nenable = true\n");
        File.WriteAllText(Path.Combine(conf, "resource.toml"), "[[resource.config]]\nhosts = \"node[0-255]\"\ncores = \"0-63\"\n");
        foreach (var (file, text) in extra)
        {
            File.WriteAllText(Path.Combine(conf, file), text);
        }
        return conf;
    }
}
