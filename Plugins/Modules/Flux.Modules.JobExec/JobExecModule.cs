// job-exec: the execution service (RFC 32). It says hello to the job manager, then answers one
// streaming start request per job with start, finish, release and exception responses.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Shell;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

[FluxPlugin("job-exec", PluginKind.Module)]
public sealed class JobExecModule(IFlux flux, ILogger<JobExecModule> log, Flux.Abstractions.Plugins.IPluginLoader plugins) : IFluxModule, IConfigurable, IDisposable
{
    // How long unloading waits for the jobs it killed to end (their output copied, their resources released).
    private static readonly TimeSpan UnloadDrain = TimeSpan.FromSeconds(5);

    private readonly Dictionary<ulong, RunningJob> _jobs = [];
    // Each job's execution (its shell or simulation, then its teardown), until it completes.
    private readonly HashSet<Task> _executions = [];
    private readonly ShellHosts _hosts = new(flux, log);
    private readonly ShellReattach _reattach = new(flux, log);
    private ExecConfig _config = null!;
    private uint _owner;
    private string _fluxUri = string.Empty;

    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _config = ExecConfig.From(flux.Config);
        _owner = uint.Parse(await flux.GetAttrAsync("instance-owner", cancellationToken).ConfigureAwait(true) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        _fluxUri = await flux.GetAttrAsync("local-uri", cancellationToken).ConfigureAwait(true) ?? string.Empty;
        _hosts.ReconnectTimeout = _reattach.TimeoutSeconds = _config.ShellReconnectTimeout;
        _hosts.UriFile = await RecordUriAsync(cancellationToken).ConfigureAwait(true);
        flux.RegisterHandler(MessageType.Request, ShellHostProtocol.Hello, _reattach.OnHello);
        flux.RegisterHandler(MessageType.Request, "job-exec.start", OnStart);
        flux.RegisterHandler(MessageType.Event, "job-kill", OnKill);
        flux.RegisterHandler(MessageType.Event, "job-exception", OnException);
        flux.RegisterHandler(MessageType.Event, "job-manager.online", _ => HelloAsync());
        await flux.SubscribeAsync("job-exception", cancellationToken).ConfigureAwait(true);
        await flux.SubscribeAsync("job-kill", cancellationToken).ConfigureAwait(true);
        await flux.SubscribeAsync("job-manager.online", cancellationToken).ConfigureAwait(true);
        await HelloAsync().ConfigureAwait(true);
        if (_config.ShellInHost && _config.JobShell is not { Length: > 0 } && !_config.TestexecEnable)
        {
            // The owner's shell host starts as soon as the broker is up (rc1 done), not when the first job
            // needs it: the first `flux run` of an instance no longer waits for a process to start and
            // reach the broker. Not with testexec on (every job is simulated, none needs a shell) or a
            // job-shell of the site's (one process per job).
            _hosts.Prestart(_owner, _fluxUri);
        }
    }

    public async ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        foreach (var job in _jobs.Values.ToList())
        {
            job.Kill(15, "exec", "job-exec is unloading");
        }
        // No shell host outlives job-exec: each gets SIGTERM (it kills its jobs' tasks), then SIGKILL.
        _reattach.StopAll();
        await _hosts.StopAllAsync().ConfigureAwait(true);
        // The killed jobs end as any job does while the broker is still there: their guest namespace is
        // copied into job.ID.guest and their resources released (without this wait their teardown ran
        // on a closed connection and their output was lost). Bounded: a task that ignores SIGTERM in a
        // shell in job-exec is given up after UnloadDrain.
        if (_executions.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(_executions), Task.Delay(UnloadDrain, CancellationToken.None)).ConfigureAwait(true);
        }
    }

    public void Dispose() => _hosts.Dispose();

    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        ExecConfig.From(proposed);
        return ValueTask.CompletedTask;
    }

    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        _config = ExecConfig.From(config);
        _hosts.ReconnectTimeout = _reattach.TimeoutSeconds = _config.ShellReconnectTimeout;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// With a statedir, this broker's URI goes to <c>STATEDIR/shell-host.uri</c>: a shell host started
    /// by an earlier broker on the same statedir reads it to reconnect (each broker has a new rundir,
    /// so a new socket). Written whole, then renamed, so a host never reads half of it.
    /// </summary>
    private async Task<string?> RecordUriAsync(CancellationToken cancellationToken)
    {
        if (await flux.GetAttrAsync("statedir", cancellationToken).ConfigureAwait(true) is not { Length: > 0 } statedir)
        {
            return null;
        }
        var path = Path.Combine(statedir, "shell-host.uri");
        try
        {
            var tmp = path + ".tmp";
            await File.WriteAllTextAsync(tmp, _fluxUri + "\n", cancellationToken).ConfigureAwait(true);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            JobExecLog.UriFileFailed(log, path, ex.Message);
        }
        return path;
    }

    private async ValueTask HelloAsync()
    {
        try
        {
            await flux.RpcAsync("job-manager.exec-hello", new JsonObject { ["service"] = "job-exec" }).ConfigureAwait(true);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            JobExecLog.WaitingForJobManager(log);
        }
    }

    private ValueTask OnStart(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "job-exec.start is a streaming RPC");
        }
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing id");
        var userid = req["userid"]?.GetValue<uint>() ?? throw new FluxException(Errno.EPROTO, "missing userid");
        var jobspec = req["jobspec"] as JsonObject ?? throw new FluxException(Errno.EPROTO, "missing jobspec");
        var r = req["R"] as JsonObject;
        // RFC 32: the job ran under an earlier job-exec (the instance restarted); its shell may have survived.
        var reattach = req["reattach"]?.GetValue<bool>() ?? false;
        var job = new RunningJob(id, msg, flux, j => _jobs.Remove(j.Id), plugins);
        _jobs[id] = job;
        var test = jobspec["attributes"]?["system"]?["exec"]?["test"];
        var expiration = r?["execution"]?["expiration"]?.GetValue<double>() ?? 0;
        if (reattach && (test is not null || _config.TestexecEnable || !_config.ShellInHost || _config.JobShell is { Length: > 0 } || userid != _owner))
        {
            // Only a shell host (shell-host = "process") outlives its broker: anything else died with it.
            job.Fail("exec", "the instance restarted while the job was running");
            return ValueTask.CompletedTask;
        }
        if (test is null && !_config.TestexecEnable)
        {
            if (userid != _owner)
            {
                job.Fail("exec", "running jobs of other users needs the IMP ([exec] imp), which this build does not use");
                return ValueTask.CompletedTask;
            }
            ShellInfo info;
            try
            {
                info = ShellInfo.Create(id, userid, jobspec, r);
            }
            catch (FluxException ex)
            {
                job.Fail("exec", ex.Message);
                return ValueTask.CompletedTask;
            }
            Run(job, job.RunShellAsync(info, r, _config, _config.ShellInHost ? _hosts : null, _fluxUri, log, expiration, reattach ? _reattach : null));
            return ValueTask.CompletedTask;
        }
        if (userid != _owner && !_config.TestexecAllowGuests)
        {
            job.Fail("exec", "testexec: guest jobs are not allowed ([exec.testexec] allow-guests = false)");
            return ValueTask.CompletedTask;
        }
        double runDuration;
        try
        {
            runDuration = ExecConfig.ParseDuration(test?["run_duration"]);
        }
        catch (FluxException ex)
        {
            job.Fail("exec", "system.exec.test.run_duration: " + ex.Message);
            return ValueTask.CompletedTask;
        }
        var fromDuration = false;
        if (runDuration < 0)
        {
            runDuration = _config.TestexecRunDuration >= 0 ? _config.TestexecRunDuration
                : jobspec["attributes"]?["system"]?["duration"]?.GetValue<double>() ?? 0;
            fromDuration = _config.TestexecRunDuration < 0;
        }
        var waitStatus = test?["wait_status"]?.GetValue<int>() ?? 0;
        // A job that runs for exactly its requested duration ends as it reaches its limit: done, not timed out.
        Run(job, job.RunTestAsync(runDuration, fromDuration ? 0 : expiration, waitStatus, _config.KillSignal));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Watches a job's execution, which runs on the module's loop after OnStart has returned. If it
    /// fails, the job ends with an exception instead of waiting for a finish that would never come.
    /// </summary>
    private void Run(RunningJob job, Task execution)
    {
        _executions.Add(execution);
        flux.Background(UntilDoneAsync(execution), $"job {job.Id}: execution", onFault: ex => job.Fail("exec", "execution failed: " + ex.Message));
    }

    private async Task UntilDoneAsync(Task execution)
    {
        try
        {
            await execution.ConfigureAwait(true);
        }
        finally
        {
            _executions.Remove(execution);
        }
    }

    private ValueTask OnKill(Message msg)
    {
        var ev = msg.GetJson();
        if (ev["id"]?.GetValue<ulong>() is ulong id && _jobs.TryGetValue(id, out var job))
        {
            job.Signal(ev["signum"]?.GetValue<int>() ?? 15);
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnException(Message msg)
    {
        var ev = msg.GetJson();
        if ((ev["severity"]?.GetValue<int>() ?? 1) == 0 && ev["id"]?.GetValue<ulong>() is ulong id && _jobs.TryGetValue(id, out var job))
        {
            job.Kill(_config.TermSignal, null, null);
        }
        return ValueTask.CompletedTask;
    }
}
