// The job shell's initrc cost in real execution: `flux submit --cc=1-N --quiet --wait true` with the default
// system initrc, with none (no Lua state), with an empty -o initrc (a Lua state and nothing to run), and with a
// userrc registering three Lua handlers, and with one that also loads a C# plugin (samples/ShellEnvPlugin; issue 15:
// "< 20% overhead"), in both shell-host modes, interleaved rounds, medians.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Bench;

internal sealed class ShellBench : IBench
{
    public string Name => "shell";

    public string Description => "initrc cost: flux submit --cc=1-N --quiet --wait true, default initrc vs three Lua handlers, broker and process shells";

    private const string ThreeHandlers = """
        -- Three Lua handlers, as a user's initrc typically has: one per job, one per task start, one per task exit.
        local n = 0
        plugin.register {
            name = "bench",
            handlers = {
                { topic = "shell.init", fn = function () shell.setenv ("BENCH", "1") end },
                { topic = "task.init", fn = function () task.setenv ("BENCH_RANK", tostring (task.info.rank)) end },
                { topic = "task.exit", fn = function () n = n + task.info.exitcode end },
            },
        }
        """;

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var dir = Directory.CreateTempSubdirectory("flux-bench-shell-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "handlers.lua"), ThreeHandlers);
            File.WriteAllText(Path.Combine(dir, "empty.lua"), "");
            // The sample C# shell plugin as ./build.sh builds it, loaded by the user's initrc as a third party's would be.
            var sample = Path.Combine(BenchRepo.Root, "samples", "ShellEnvPlugin", "bin", "Release", "net10.0", "ShellEnvPlugin.dll");
            if (!File.Exists(sample))
            {
                throw new FileNotFoundException($"{sample} is missing: ./build.sh builds the samples");
            }
            File.WriteAllText(Path.Combine(dir, "plugin-handlers.lua"), $"plugin.load {{ file = \"{sample}\" }}\n" + ThreeHandlers);
            var variants = new (string Name, string Attr, string Options)[]
            {
                ("default initrc", "", ""),
                ("no initrc (no Lua state)", $"-Sconf.shell_initrc={dir}/none.lua", ""),
                ("-o initrc=empty.lua", "", $"-o initrc={dir}/empty.lua"),
                ("+ userrc, 3 Lua handlers", "", $"-o userrc={dir}/handlers.lua"),
                ("+ userrc, C# plugin + 3 Lua", "", $"-o userrc={dir}/plugin-handlers.lua"),
            };
            var results = new Dictionary<(string, string), List<double>>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var mode in new[] { "broker", "process" })
                {
                    foreach (var (name, attr, options) in variants)
                    {
                        var rate = await RateAsync(dir, mode, n, attr, options).ConfigureAwait(false);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {mode,-7} {name,-28} {rate:F0} jobs/s"));
                        if (rate > 0)
                        {
                            (results.TryGetValue((mode, name), out var l) ? l : results[(mode, name)] = []).Add(rate);
                        }
                    }
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"medians of {rounds} rounds, {n} jobs of true (load average {File.ReadAllText("/proc/loadavg").Trim()}):"));
            foreach (var mode in new[] { "broker", "process" })
            {
                var baseline = Median(results.GetValueOrDefault((mode, variants[0].Name)));
                foreach (var (name, _, _) in variants)
                {
                    var m = Median(results.GetValueOrDefault((mode, name)));
                    var overhead = baseline > 0 && m > 0 ? (baseline / m - 1) * 100 : double.NaN;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {mode,-7} {name,-28} {m,6:F0} jobs/s  {overhead,6:+0.0;-0.0}% time per job"));
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Jobs per second of one `flux submit --cc=1-N --quiet --wait` in a new instance (its start-up excluded); 0 if it failed.</summary>
    private static async Task<double> RateAsync(string dir, string mode, int n, string attr, string options)
    {
        var conf = Path.Combine(dir, "conf-" + mode);
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "exec.toml"), $"[exec]\nshell-host = \"{mode}\"\n");
        var script = $$"""
            flux run {{options}} true
            s=$(date +%s.%N); flux submit --cc=1-{{n}} --quiet --wait {{options}} true; rc=$?; e=$(date +%s.%N)
            echo "cc $rc $s $e"
            """;
        var psi = new ProcessStartInfo(Path.Combine(BenchRepo.Bin, "flux")) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "start", $"--config-path={conf}", attr, "sh", "-c", script }.Where(a => a.Length > 0))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await p.WaitForExitAsync().ConfigureAwait(false);
        var f = output.Trim().Split('\n')[^1].Split(' ');
        if (p.ExitCode != 0 || f.Length != 4 || f[0] != "cc" || f[1] != "0")
        {
            Console.WriteLine($"{mode} {options}: run failed (exit {p.ExitCode}): {output}");
            return 0;
        }
        return n / (double.Parse(f[3], CultureInfo.InvariantCulture) - double.Parse(f[2], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double>? values)
    {
        if (values is not { Count: > 0 })
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
