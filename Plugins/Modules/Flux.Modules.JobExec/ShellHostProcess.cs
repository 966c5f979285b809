// One shell host process (flux-shell --host) started by job-exec: its start, its readiness, its end.
using System.Globalization;
using System.Text;
using Flux.Abstractions;
using Flux.Shell;
using Flux.Subprocess;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

/// <summary>
/// A started host, ready once it has written <see cref="ShellHostProtocol.ReadyLine"/>. The jobs it
/// runs register here so that, if it dies, each gets an exception (<see cref="HostedShell.Lost"/>).
/// Every wait is bounded: the ready line by <see cref="ReadyTimeout"/>, a stop by its grace and then
/// SIGKILL.
/// </summary>
internal sealed class ShellHostProcess : IShellHost, IDisposable
{
    /// <summary>A host that is not ready in this time is killed and the job fails.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskProcess _process;
    private readonly ILogger _log;

    private ShellHostProcess(TaskProcess process, string service, ILogger log)
    {
        _process = process;
        Service = service;
        _log = log;
    }

    public string Service { get; }

    public int Pid => _process.Pid;

    /// <summary>The host's wait status once it has exited.</summary>
    public Task<int> Exited => _process.Exited;

    /// <summary>The jobs running in this host now.</summary>
    public HashSet<HostedShell> Jobs { get; } = [];

    /// <summary>
    /// Starts <c>PATH --host --service=SERVICE OPTIONS...</c> connected to the broker at <paramref name="uri"/> and waits until it serves.
    /// <paramref name="stop"/> (job-exec unloading) kills a host that is not ready yet at once.
    /// </summary>
    public static async Task<ShellHostProcess> StartAsync(string path, string service, string uri, IReadOnlyList<string> options, ILogger log, CancellationToken stop)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = (string?)e.Value ?? string.Empty;
        }
        env["FLUX_URI"] = uri;
        // A host runs many jobs for a long time, as the broker does: its hot paths are to reach full
        // optimisation within a few jobs, not after the runtime's default 100 ms of no new code
        // (Flux.Client's BrokerRuntimeSettings, which flux start sets for the broker, says why). The
        // tasks it starts get their job's environment, not this one.
        env.TryAdd("DOTNET_TC_CallCountingDelayMs", "10");
        var process = TaskProcess.Start(new TaskStartInfo
        {
            Arguments = [path, ShellHostProtocol.HostFlag, ShellHostProtocol.ServiceOption + service, .. options],
            Environment = [.. env.Select(kv => kv.Key + "=" + kv.Value)],
            Stdin = TaskStdinMode.Null,
        });
        if (process.StartError is { } error)
        {
            process.Dispose();
            throw new FluxException(Errno.ENOENT, $"starting the shell host {path}: {error}");
        }
        var host = new ShellHostProcess(process, service, log);
        try
        {
            await host.WaitReadyAsync(stop).ConfigureAwait(true);
        }
        catch
        {
            process.Signal(9);
            process.Dispose();
            throw;
        }
        return host;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/> if the host is still there; waits for its end (bounded).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _process.Signal(15);
        if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(true) != Exited)
        {
            _process.Signal(9);
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(true);
        }
    }

    public void Dispose() => _process.Dispose();

    /// <summary>A wait status as the exception's note says it: "exit 3", "signal 9".</summary>
    public static string Describe(int status) => WaitStatus.IsSignaled(status)
        ? string.Create(CultureInfo.InvariantCulture, $"signal {WaitStatus.TermSignal(status)}")
        : string.Create(CultureInfo.InvariantCulture, $"exit {WaitStatus.ExitStatus(status)}");

    private async Task WaitReadyAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ReadyTimeout);
        var stdout = _process.Stdout!;
        var line = new StringBuilder();
        var buf = new byte[256];
        try
        {
            while (true)
            {
                var n = await stdout.ReceiveAsync(buf, System.Net.Sockets.SocketFlags.None, timeout.Token).ConfigureAwait(true);
                if (n == 0)
                {
                    var status = await Exited.WaitAsync(timeout.Token).ConfigureAwait(true);
                    throw new FluxException(Errno.EIO, string.Create(CultureInfo.InvariantCulture, $"the shell host exited before it was ready ({Describe(status)}); see the broker's log"));
                }
                line.Append(Encoding.UTF8.GetString(buf, 0, n));
                if (line.ToString().Contains(ShellHostProtocol.ReadyLine, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new FluxException(Errno.ENOSYS, "job-exec is unloading");
        }
        catch (OperationCanceledException)
        {
            throw new FluxException(Errno.ETIMEDOUT, $"the shell host was not ready within {ReadyTimeout.TotalSeconds}s");
        }
        JobExecLog.ShellHostStarted(_log, Service, Pid);
    }
}
