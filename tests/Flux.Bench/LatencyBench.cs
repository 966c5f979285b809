// The latency table of issue 18 as one command: whole `flux` commands timed start to exit, as a user sees them.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Flux.Bench;

/// <summary>
/// Starts one instance (<c>flux start</c> with an initial program that prints FLUX_URI and waits on
/// its stdin), then runs each command N times as a child process of this program with FLUX_URI set,
/// timing each from start to exit: one-RPC commands, <c>flux jobs</c>, <c>flux submit true</c> (back to
/// back, and each after the last job is done), the
/// p50 of <c>flux ping</c> at two intervals (parsed from its output), <c>flux run true</c>, and
/// <c>flux start true</c> (outside the instance). Throughput rows are the <c>jobs</c> and <c>exec</c> benches.
/// </summary>
internal sealed partial class LatencyBench : IBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public string Name => "latency";

    public string Description => "issue 18's table: whole-command medians of flux getattr/kvs put/kvs get/jobs/submit/run/start, flux ping p50 [N runs, default 20]";

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var flux = Path.Combine(BenchRepo.Bin, "flux");
        Console.WriteLine($"flux: {flux} ({Kind(flux)}); {n} runs of each command, whole commands (start to exit), median");
        var rows = new List<(string Figure, string Value)>();
        using (var instance = await Instance.StartAsync(flux))
        {
            var env = new Dictionary<string, string> { ["FLUX_URI"] = instance.Uri };
            // Settled first, untimed: the owner's shell host starts once the instance is up, beside the
            // initial program, and its start would otherwise share the cores with the first commands.
            await RunAsync(flux, ["run", "true"], env);
            string[][] commands =
            [
                ["getattr", "size"],
                ["kvs", "put", "x=1"],
                ["kvs", "get", "x"],
                ["jobs"],
            ];
            foreach (var c in commands)
            {
                rows.Add(("flux " + string.Join(' ', c), Ms(await MedianAsync(flux, c, env, n))));
            }
            // Each job runs (real execution) while the next command starts: back to back, a submission
            // shares the 2 cores with the last job's shell and exit; at rest, the last job is done first
            // (flux job wait-event ID clean, not timed).
            rows.Add(("flux submit true (back to back)", Ms(await MedianAsync(flux, ["submit", "true"], env, n))));
            rows.Add(("flux submit true (the last job done)", Ms(await MedianAsync(flux, ["submit", "true"], env, n,
                async stdout => await RunAsync(flux, ["job", "wait-event", stdout.Trim(), "clean"], env)))));
            foreach (var interval in new[] { "0.001", "0.0002" })
            {
                var p50 = await PingP50Async(flux, interval, Math.Max(n, 100), env);
                rows.Add(($"flux ping -i {interval} p50", string.Create(CultureInfo.InvariantCulture, $"{p50 * 1e6:F0} us")));
            }
            rows.Add(("flux run true", Ms(await MedianAsync(flux, ["run", "true"], env, n))));
        }
        rows.Add(("flux start true", Ms(await MedianAsync(flux, ["start", "true"], null, Math.Min(n, 5)))));
        rows.Add(("testexec jobs/s (1,000 and 10,000)", "see: Flux.Bench jobs"));
        rows.Add(("real `true` jobs/s (flux submit --cc --wait)", "see: Flux.Bench exec"));
        var width = rows.Max(r => r.Figure.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        Console.WriteLine($"| {"figure".PadRight(width)} | {"Flux.NET".PadRight(valueWidth)} |");
        Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', valueWidth + 2)}|");
        foreach (var (figure, value) in rows)
        {
            Console.WriteLine($"| {figure.PadRight(width)} | {value.PadRight(valueWidth)} |");
        }
    }

    private static string Ms(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F1} ms");

    // What `flux` is: build.sh puts the JIT companion flux-jit beside the native flux; a plain build has only a JIT flux.
    private static string Kind(string flux) =>
        File.Exists(Path.Combine(BenchRepo.Bin, "flux-jit")) ? "native (NativeAOT), flux-jit beside it" : "JIT-hosted";

    // The median of n whole-command runs (after one unmeasured warm-up run), in seconds; after each, if
    // given, an untimed step with the run's stdout.
    private static async Task<double> MedianAsync(string exe, string[] args, IDictionary<string, string>? env, int n, Func<string, Task>? after = null)
    {
        var times = new List<double>();
        for (var i = 0; i <= n; i++)
        {
            var (elapsed, stdout) = await RunAsync(exe, args, env);
            if (i > 0)
            {
                times.Add(elapsed);
            }
            if (after is not null)
            {
                await after(stdout);
            }
        }
        times.Sort();
        return times[times.Count / 2];
    }

    // flux ping -c N -i INTERVAL broker: the median of its per-reply times, in seconds.
    private static async Task<double> PingP50Async(string exe, string interval, int count, IDictionary<string, string> env)
    {
        var (_, output) = await RunAsync(exe, ["ping", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", interval, "broker"], env);
        var times = PingTime().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1000).Order().ToList();
        if (times.Count == 0)
        {
            throw new InvalidOperationException($"flux ping printed no reply times:\n{output}");
        }
        return times[times.Count / 2];
    }

    // Runs a command to its exit; returns its wall time (seconds) and stdout. A failure is an error.
    private static async Task<(double Seconds, string Stdout)> RunAsync(string exe, string[] args, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await p.WaitForExitAsync(cts.Token);
        sw.Stop();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"flux {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}");
        }
        return (sw.Elapsed.TotalSeconds, await stdout);
    }

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex PingTime();

    // An instance whose initial program prints its URI and runs until its stdin closes.
    private sealed class Instance : IDisposable
    {
        private readonly Process _process;

        private Instance(Process process, string uri) => (_process, Uri) = (process, uri);

        public string Uri { get; }

        public static async Task<Instance> StartAsync(string flux)
        {
            var psi = new ProcessStartInfo(flux) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "start", "sh", "-c", "echo \"$FLUX_URI\"; exec cat >/dev/null" })
            {
                psi.ArgumentList.Add(a);
            }
            var p = Process.Start(psi)!;
            using var cts = new CancellationTokenSource(Deadline);
            var uri = await p.StandardOutput.ReadLineAsync(cts.Token);
            if (string.IsNullOrEmpty(uri))
            {
                p.Dispose();
                throw new InvalidOperationException("flux start printed no FLUX_URI");
            }
            return new Instance(p, uri);
        }

        public void Dispose()
        {
            // Closing the initial program's stdin ends it, and the instance with it.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(Deadline))
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }
    }
}
