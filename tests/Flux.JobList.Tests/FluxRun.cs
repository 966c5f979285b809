// Runs the built flux command against an instance and collects its exit code and output.
using System.Diagnostics;

namespace Flux.JobList.Tests;

internal sealed record FluxResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

internal static class FluxRun
{
    public static string FluxExe
    {
        get
        {
            var exe = Path.Combine(Repo.Bin, "flux");
            Assert.True(File.Exists(exe), $"{exe} is missing: build it first (dotnet build Host/Flux.Cli -c {Repo.Configuration})");
            return exe;
        }
    }

    /// <summary>Runs <c>flux ARGS</c> with FLUX_URI set; the deadline only guards against a hang.</summary>
    public static async Task<FluxResult> RunAsync(string uri, params string[] args)
    {
        var psi = new ProcessStartInfo(FluxExe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["FLUX_URI"] = uri;
        psi.Environment["FLUX_F58_FORCE_ASCII"] = "1";
        psi.Environment.Remove("FLUX_JOBS_FORMAT_DEFAULT");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"flux {string.Join(' ', args)} did not finish:\n{await stdout}\n{await stderr}");
        }
        return new FluxResult(p.ExitCode, await stdout, await stderr);
    }
}
