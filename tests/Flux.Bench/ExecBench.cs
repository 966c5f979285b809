// Real execution: `flux run true` latency inside a running instance, and N jobs of `true` with
// `flux submit --cc=1-N --quiet --wait true` (the commands flux-core's figures use).
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

internal sealed class ExecBench : IBench
{
    public string Name => "exec";

    public string Description => "real execution: flux run true latency, flux submit --cc=1-1000 --quiet --wait true jobs/s [N] [--shell-host=broker|process]";

    public async Task RunAsync(string[] args)
    {
        var host = args.FirstOrDefault(a => a.StartsWith("--shell-host=", StringComparison.Ordinal))?["--shell-host=".Length..];
        args = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        // [exec] shell-host: where job shells run (docs/architecture.md); none given is the instance's default.
        string? conf = null;
        if (host is not null)
        {
            conf = Directory.CreateTempSubdirectory("flux-bench-exec-").FullName;
            File.WriteAllText(Path.Combine(conf, "exec.toml"), $"[exec]\nshell-host = \"{host}\"\n");
            Console.WriteLine($"[exec] shell-host = \"{host}\"");
        }
        var flux = Path.Combine(BenchRepo.Bin, "flux");
        var script = $$"""
            for i in 1 2 3; do flux run true; done
            for i in $(seq 1 20); do
              s=$(date +%s%N); flux run true; e=$(date +%s%N); echo "run $(( (e - s) / 1000 ))"
            done
            s=$(date +%s.%N); flux submit --cc=1-{{n}} --quiet --wait true; e=$(date +%s.%N)
            echo "cc $s $e"
            """;
        var psi = new ProcessStartInfo(flux) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("start");
        if (conf is not null)
        {
            psi.ArgumentList.Add($"--config-path={conf}");
        }
        foreach (var a in new[] { "sh", "-c", script })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var runs = new List<double>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            if (f[0] == "run")
            {
                runs.Add(double.Parse(f[1], CultureInfo.InvariantCulture) / 1000);
            }
            else if (f[0] == "cc")
            {
                var secs = double.Parse(f[2], CultureInfo.InvariantCulture) - double.Parse(f[1], CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flux submit --cc=1-{n} --quiet --wait true: {secs:F2}s = {n / secs:F0} jobs/s"));
            }
        }
        if (runs.Count > 0)
        {
            runs.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"flux run true (inside the instance, {runs.Count} runs): min {runs[0]:F0} ms, median {runs[runs.Count / 2]:F0} ms, max {runs[^1]:F0} ms"));
        }
        if (p.ExitCode != 0)
        {
            Console.WriteLine($"instance exited {p.ExitCode}");
        }
        if (conf is not null)
        {
            Directory.Delete(conf, true);
        }
    }
}
