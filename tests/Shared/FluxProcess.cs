// Shared by the test projects: runs the built flux executable as a child process and collects its exit code and output.
using System.Diagnostics;
using System.Text;

namespace Flux.Tests.Shared;

internal sealed record FluxResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

internal static class FluxProcess
{
    public static string Root => Repo.Root;

    public static string Bin => Repo.Bin;

    public static string FluxExe
    {
        get
        {
            var exe = Path.Combine(Bin, "flux");
            Assert.True(File.Exists(exe), $"{exe} is missing: build first (./build.sh or dotnet build Flux.sln -c {Repo.Configuration})");
            return exe;
        }
    }

    /// <summary>Runs `flux ARGS` (or another program) with a deadline; the deadline only guards a hang.</summary>
    public static async Task<FluxResult> RunAsync(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null, string? exe = null)
    {
        var psi = new ProcessStartInfo(exe ?? FluxExe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // The caller's instance and output preferences must not leak into a test.
        psi.Environment.Remove("FLUX_URI");
        psi.Environment.Remove("FLUX_JOBS_FORMAT_DEFAULT");
        psi.Environment["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"flux {string.Join(' ', args)} did not finish within 3 minutes:\n{await stdout}\n{await stderr}");
        }
        return new FluxResult(p.ExitCode, await stdout, await stderr);
    }

    public static Task<FluxResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);
}
