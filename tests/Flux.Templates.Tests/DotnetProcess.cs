// Runs the dotnet CLI for the template tests: private CLI home, NuGet cache and template hive, no network, no build servers left behind.
using System.Diagnostics;

namespace Flux.Templates.Tests;

internal static class DotnetProcess
{
    // Generous: six projects restore, build and pack on a loaded 2-core machine; it only guards a hang.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    /// <summary>
    /// Runs <c>dotnet ARGS</c> in <paramref name="workdir"/> with <paramref name="env"/> over the test's
    /// environment; throws with the output unless it exits 0.
    /// </summary>
    public static async Task<string> RunAsync(string workdir, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workdir,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // The test host's MSBuild variables would point the child at the test's own build.
        foreach (var k in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "FLUX_URI" })
        {
            psi.Environment.Remove(k);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {Deadline}:\n{await stdout}\n{await stderr}");
        }
        var output = await stdout + await stderr;
        Assert.True(p.ExitCode == 0, $"dotnet {string.Join(' ', args)} (in {workdir}) exited {p.ExitCode}:\n{output}");
        return output;
    }
}
