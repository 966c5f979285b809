// A `flux start` instance kept running while a test works on it: its initial program prints the
// URI and the broker's pid, then waits for its stdin to close.
using System.Diagnostics;

namespace Flux.EndToEnd.Tests;

internal sealed class RunningInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RunningInstance(Process process, string uri, int brokerPid, int programPid)
    {
        _process = process;
        Uri = uri;
        BrokerPid = brokerPid;
        ProgramPid = programPid;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public string Uri { get; }

    public string SocketPath => Uri["local://".Length..];

    public int BrokerPid { get; }

    public int ProgramPid { get; }

    public IDictionary<string, string> Env => new Dictionary<string, string> { ["FLUX_URI"] = Uri };

    public Process Process => _process;

    /// <summary>
    /// Starts <c>flux start ARGS sh -c ...</c>, or <c>prlimit --nofile=N:N -- flux start ...</c> when
    /// <paramref name="nofile"/> is given, and returns once the program has printed the URI.
    /// </summary>
    public static async Task<RunningInstance> StartAsync(IEnumerable<string> startArgs, int? nofile = null, string program = "exec cat >/dev/null")
    {
        var psi = new ProcessStartInfo(nofile is null ? FluxProcess.FluxExe : "prlimit")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (nofile is { } n)
        {
            psi.ArgumentList.Add($"--nofile={n}:{n}");
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(FluxProcess.FluxExe);
        }
        psi.ArgumentList.Add("start");
        foreach (var a in startArgs)
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"echo \"$FLUX_URI $PPID $$\"; {program}");
        psi.Environment.Remove("FLUX_URI");
        psi.Environment["PATH"] = FluxProcess.Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        var p = Process.Start(psi)!;
        var line = await Await.Within(p.StandardOutput.ReadLineAsync(), "the instance's initial program to print its URI");
        if (line is null)
        {
            await p.WaitForExitAsync();
            throw new InvalidOperationException($"flux start exited {p.ExitCode} before its program ran: {await p.StandardError.ReadToEndAsync()}");
        }
        var words = line.Split(' ');
        return new RunningInstance(p, words[0], int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs a flux command inside the instance.</summary>
    public Task<FluxResult> FluxAsync(params string[] args) => FluxProcess.RunAsync(args, env: Env);

    /// <summary>Ends the program (closes its stdin) and returns flux start's exit code and stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> StopAsync()
    {
        _process.StandardInput.Close();
        await Await.Within(_process.WaitForExitAsync(), "flux start to exit after its program ended");
        return (_process.ExitCode, await _stderr);
    }

    /// <summary>Waits for flux start to exit by itself and returns its exit code and stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> ExitedAsync(string what)
    {
        await Await.Within(_process.WaitForExitAsync(), what);
        // A program that outlives the broker (it did not get SIGHUP) holds the stderr pipe open.
        return (_process.ExitCode, await Await.Within(_stderr, $"{what}: the end of flux start's stderr (is a child of the broker still running?)"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
