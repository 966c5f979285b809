// A real `flux start` on a statedir, driven by clients in the test over local://, for crash and disk-full tests.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Kvs.Tests;

/// <summary>
/// <c>flux start -S statedir=DIR -S rundir=RUN sh -c 'echo ready; exec cat'</c>: the initial program says
/// when the instance is up and lives until the test closes its stdin (a clean shutdown). <c>flux start</c>
/// becomes the broker (execv), so <see cref="Kill"/> is a kill -9 of the broker itself.
/// </summary>
internal sealed class RealInstance : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RealInstance(Process process, string uri)
    {
        _process = process;
        Uri = uri;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The instance's local:// URI.</summary>
    public string Uri { get; }

    /// <summary>Starts an instance and waits until its initial program runs.</summary>
    public static async Task<RealInstance> StartAsync(string statedir, string? configDir = null)
    {
        // Connectors are plugins: this process finds local:// in the build, as the flux command does.
        Environment.SetEnvironmentVariable("FLUX_CONNECTOR_PATH", Path.Combine(Repo.Bin, "connectors"));
        var rundir = TempDirs.Create("flux-rundir-");
        var psi = new ProcessStartInfo(FluxProcess.FluxExe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("start");
        psi.ArgumentList.Add($"-Sstatedir={statedir}");
        psi.ArgumentList.Add($"-Srundir={rundir}");
        if (configDir is not null)
        {
            psi.ArgumentList.Add($"--config-path={configDir}");
        }
        foreach (var a in new[] { "sh", "-c", "echo ready; exec cat >/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("FLUX_URI");
        var inst = new RealInstance(Process.Start(psi)!, "local://" + Path.Combine(rundir, "local-0"));
        var line = await inst._process.StandardOutput.ReadLineAsync().WaitAsync(Limit);
        if (line != "ready")
        {
            await inst._process.WaitForExitAsync().WaitAsync(Limit);
            throw new InvalidOperationException($"flux start did not come up (exit {inst._process.ExitCode}):\n{await inst._stderr}");
        }
        return inst;
    }

    /// <summary>A client handle on the instance.</summary>
    public Task<FluxHandle> ConnectAsync() => FluxConnect.OpenAsync(Uri);

    /// <summary>Lets submissions in and scheduling go on after a restart in safe mode.</summary>
    public async Task EnableQueuesAsync()
    {
        await using var h = await ConnectAsync();
        await h.RpcAsync("job-manager.queue-enable", new JsonObject { ["enable"] = true, ["all"] = true });
        await h.RpcAsync("job-manager.queue-start", new JsonObject { ["start"] = true, ["all"] = true });
    }

    /// <summary>SIGKILL to the broker; the initial program then ends on its closed stdin.</summary>
    public async Task<string> KillAsync()
    {
        _process.Kill();
        return (await StopAsync()).Stderr;
    }

    /// <summary>Ends the initial program (a clean shutdown follows); the broker's exit code and stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> StopAsync()
    {
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            _process.Kill();
            throw new TimeoutException($"the instance on {Uri} did not exit within {Limit.TotalSeconds}s of its initial program's end");
        }
        return (_process.ExitCode, await _stderr.WaitAsync(Limit));
    }

    /// <summary>The job ids job-manager knows: the backlog of its journal, up to the entry with id -1.</summary>
    public async Task<HashSet<ulong>> JobIdsAsync()
    {
        await using var h = await ConnectAsync();
        var ids = new HashSet<ulong>();
        using var cts = new CancellationTokenSource(Limit);
        await foreach (var m in h.StreamAsync(Message.Request("job-manager.events-journal", new JsonObject()), cts.Token))
        {
            var id = m.GetJson()["id"]!.GetValue<long>();
            if (id < 0)
            {
                break;
            }
            ids.Add((ulong)id);
        }
        return ids;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.StandardInput.Close();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
