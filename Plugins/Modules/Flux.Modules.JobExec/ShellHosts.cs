// job-exec's shell hosts: one flux-shell --host per user on this node, started on first need and
// again after one dies, stopped when job-exec unloads.
using Flux.Abstractions;
using Flux.Shell;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

/// <summary>
/// Hands each job the running host of its user, starting one if there is none (jobs that arrive
/// while it starts share that start). A host that exits takes only its own jobs with it: each gets
/// an exception, and the next job starts a new host under a new service name.
/// </summary>
internal sealed class ShellHosts(IFlux flux, ILogger log) : IDisposable
{
    /// <summary>The time a host has after SIGTERM to kill its jobs' tasks and go, before SIGKILL.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<uint, Task<ShellHostProcess>> _hosts = [];
    // Cancelled when job-exec unloads (StopAllAsync): no host is started after that, and one still
    // starting is killed at once instead of waited for.
    private readonly CancellationTokenSource _stop = new();
    private int _generation;

    /// <summary>How long a host tries to reach a restarted broker (<c>[exec] shell-reconnect-timeout</c>).</summary>
    public double ReconnectTimeout { get; set; } = 300;

    /// <summary>The file in the statedir where each broker's job-exec writes its URI for returning hosts; none without a statedir.</summary>
    public string? UriFile { get; set; }

    /// <summary>flux-shell, installed beside flux-broker (build.sh publishes both into one folder).</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "flux-shell");

    public Task<ShellHostProcess> GetAsync(uint userid, string uri)
    {
        if (Stopping)
        {
            throw new FluxException(Errno.ENOSYS, "job-exec is unloading");
        }
        if (_hosts.TryGetValue(userid, out var existing) && !existing.IsFaulted && !existing.IsCanceled
            && !(existing.IsCompletedSuccessfully && existing.Result.Exited.IsCompleted))
        {
            return existing;
        }
        var start = StartAsync(userid, uri);
        _hosts[userid] = start;
        return start;
    }

    private bool Stopping => _stop.IsCancellationRequested;

    public void Dispose() => _stop.Dispose();

    /// <summary>
    /// Starts the host of <paramref name="userid"/> before its first job, so that the job finds it ready
    /// instead of waiting for its start (job-exec does this for the instance owner when it loads). A
    /// host that fails to start is logged; the first job then starts one itself and fails with the reason.
    /// </summary>
    public void Prestart(uint userid, string uri) =>
        flux.Background(PrestartAsync(userid, uri), "shell host start before the first job");

    private async Task PrestartAsync(uint userid, string uri)
    {
        // Once the broker is in run (rc1 done; at once for a module loaded later), not while the rest
        // of rc1 loads: on a small node the host's start competed with it for the cores (flux start
        // true: about 10 ms). ENOENT: the broker went past run without reaching it (a failed rc1), so
        // no job will come; ENOSYS: a broker without a state machine (start now).
        try
        {
            await flux.RpcAsync("state-machine.wait", null, NodeId.Any, _stop.Token).ConfigureAwait(true);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            // No state machine to wait for: start it now.
        }
        catch (Exception ex) when (ex is FluxException or OperationCanceledException)
        {
            return;
        }
        if (Stopping)
        {
            return;
        }
        try
        {
            await GetAsync(userid, uri).ConfigureAwait(true);
        }
        catch (FluxException ex) when (!Stopping)
        {
            JobExecLog.ShellHostPrestartFailed(log, ex.Message);
        }
        catch (FluxException)
        {
            // Unloading while it started: it was killed, as it should be.
        }
    }

    /// <summary>Stops every host: SIGTERM, SIGKILL after <see cref="StopGrace"/>; one still starting is killed at once; bounded.</summary>
    public async Task StopAllAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(true);
        var hosts = _hosts.Values.ToList();
        _hosts.Clear();
        foreach (var t in hosts)
        {
            if (await Task.WhenAny(t, Task.Delay(ShellHostProcess.ReadyTimeout)).ConfigureAwait(true) == t && t.IsCompletedSuccessfully)
            {
                await t.Result.StopAsync(StopGrace).ConfigureAwait(true);
            }
        }
    }

    private async Task<ShellHostProcess> StartAsync(uint userid, string uri)
    {
        // --reconnect is the default when job-exec starts the shell (flux-shell(1): it survives broker restarts).
        List<string> reconnect = [ShellHostProtocol.ReconnectFlag,
            ShellHostProtocol.ReconnectTimeoutOption + ReconnectTimeout.ToString("R", System.Globalization.CultureInfo.InvariantCulture)];
        if (UriFile is not null)
        {
            reconnect.Add(ShellHostProtocol.UriFileOption + UriFile);
        }
        var service = ShellHostProtocol.ServiceName(userid, Environment.ProcessId, ++_generation);
        var host = await ShellHostProcess.StartAsync(ExecutablePath, service, uri, reconnect, log, _stop.Token).ConfigureAwait(true);
        flux.Background(WatchAsync(userid, host), $"shell host {host.Service}: watching its exit");
        return host;
    }

    /// <summary>Runs on the module's loop when the host exits: its jobs are lost, and the next job starts a new host.</summary>
    private async Task WatchAsync(uint userid, ShellHostProcess host)
    {
        var status = await host.Exited.ConfigureAwait(true);
        if (_hosts.TryGetValue(userid, out var t) && t.IsCompletedSuccessfully && t.Result == host)
        {
            _hosts.Remove(userid);
        }
        // Stopping, job-exec ended the host itself (its jobs were killed first): nothing unexpected.
        if (!Stopping)
        {
            JobExecLog.ShellHostLost(log, host.Service, host.Pid, ShellHostProcess.Describe(status), host.Jobs.Count);
        }
        foreach (var job in host.Jobs.ToList())
        {
            job.Lost(ShellHostProcess.Describe(status));
        }
        host.Dispose();
    }
}
