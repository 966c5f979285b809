// One job under job-exec: sends its RFC 32 responses, runs its shell (in job-exec or in a shell host)
// or simulates it (testexec), on the module loop.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;
using Flux.Shell;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

internal sealed class RunningJob(ulong id, Message request, IFlux flux, Action<RunningJob> done, Flux.Abstractions.Plugins.IPluginLoader? plugins = null) : IDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private int _killSignal;
    private bool _finishSent;
    private bool _finished;

    public ulong Id { get; } = id;

    /// <summary>Ends the job now with an exception, unless it has already finished.</summary>
    public void Fail(string type, string note)
    {
        if (_finished)
        {
            return;
        }
        Respond("exception", new JsonObject { ["type"] = type, ["severity"] = 0, ["note"] = note });
        Finish(0);
    }

    /// <summary>Sends a signal to a real job's tasks (flux job kill); ignored for a simulated job.</summary>
    public void Signal(int signum) => _signal?.Invoke(signum);

    /// <summary>Kills the job with a signal; an exception is raised first when a type is given.</summary>
    public void Kill(int signum, string? type, string? note)
    {
        if (type is not null)
        {
            Respond("exception", new JsonObject { ["type"] = type, ["severity"] = 0, ["note"] = note });
        }
        _killSignal = signum;
        if (SignalOrKeep(signum))
        {
            EscalateKill();
            return;
        }
        _kill.Cancel();
    }

    /// <summary>
    /// Sends a signal to the job's tasks; while the shell (or its host) is still starting, keeps it for the
    /// tasks, which get it once they run (<see cref="StartedNow"/>). True when it was sent.
    /// </summary>
    private bool SignalOrKeep(int signum)
    {
        if (_signal is null)
        {
            _pendingSignal = signum;
            return false;
        }
        _signal(signum);
        return true;
    }

    /// <summary>
    /// testexec: the job "runs" for its run duration without processes. Past the allocation's
    /// expiration it gets a timeout exception and is killed, as a real job over its limit would be.
    /// </summary>
    public async Task RunTestAsync(double runDuration, double expiration, int waitStatus, int killSignal)
    {
        Respond("start", null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var limit = expiration > 0 ? Math.Max(0, expiration - now) : double.PositiveInfinity;
        var timedOut = runDuration > limit;
        var wait = timedOut ? limit : runDuration;
        try
        {
            if (wait > 0)
            {
                await LongTimer.DelayAsync(wait, TimeProvider.System, _kill.Token).ConfigureAwait(true);
            }
        }
        catch (OperationCanceledException)
        {
            Finish(_killSignal);
            return;
        }
        if (timedOut)
        {
            Respond("exception", new JsonObject { ["type"] = "timeout", ["severity"] = 0, ["note"] = "resource allocation expired" });
            Finish(killSignal);
            return;
        }
        Finish(waitStatus);
    }

    /// <summary>
    /// Real execution: the job's guest namespace, the exec eventlog (RFC 50), the in-process shell,
    /// the time limit (term signal, then the kill signal every kill-timeout), the snapshot of the
    /// guest namespace into the job's KVS directory, and the RFC 32 responses. With
    /// <paramref name="reattach"/> the job already runs in a shell host that survived a broker
    /// restart: the exec eventlog gets <c>reattach</c> and <c>re-starting</c> (as flux-core's job-exec
    /// posts them) instead of <c>init</c> and <c>starting</c>, and job-manager hears "reattached".
    /// </summary>
    public async Task RunShellAsync(ShellInfo info, JsonObject? r, ExecConfig config, ShellHosts? hosts, string fluxUri, ILogger log, double expiration, ShellReattach? reattach = null)
    {
        var ns = $"job-{Id}";
        var key = Fluid.Encode(Id, FluidEncoding.Kvs);
        var exec = _execLog = new ExecEventlog(flux, Id, ns);
        // A shell host's shell gets the attributes its initrc step reads with the job (ShellAttributes):
        // read here while the namespace is created, in the broker, instead of by the host over its socket.
        var attributes = reattach is null && RunsInHost(hosts, config) ? ShellAttributes.ReadAsync(flux) : null;
        try
        {
            await flux.RpcAsync("kvs.namespace-create", new JsonObject { ["namespace"] = ns, ["owner"] = info.UserId, ["flags"] = 0 }).ConfigureAwait(true);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.EEXIST)
        {
            // Left over from an earlier start of the same job: reuse it.
        }
        var status = 1 << 8;
        var ran = false;
        try
        {
            status = await RunShellInNamespaceAsync(info, r, config, hosts, fluxUri, log, expiration, ns, exec, reattach, attributes).ConfigureAwait(true);
            // "start" first: it may still wait for the exec eventlog's commit.
            await _started.ConfigureAwait(true);
            // The tasks are over: job-manager hears it now (its finish event is written while the guest
            // namespace moves), as flux-core's job-exec answers "finish" before its namespace_move; the
            // resources are released only once the namespace is saved.
            SendFinish(status);
            ran = true;
        }
        finally
        {
            // Whatever happened, the guest namespace is copied and removed: a client following the
            // job's output there (flux job attach) must see it end. The resources go back as soon as
            // the copy is committed, while the namespace is being removed.
            await exec.FlushAsync().ConfigureAwait(true);
            await SnapshotAsync(ns, key, log, ran ? () => Finish(status) : null).ConfigureAwait(true);
        }
        Finish(status);
    }

    private async Task<int> RunShellInNamespaceAsync(ShellInfo info, JsonObject? r, ExecConfig config, ShellHosts? hosts, string fluxUri, ILogger log, double expiration, string ns, ExecEventlog exec, ShellReattach? reattach, Task<ShellAttributes>? attributes)
    {
        exec.Post(reattach is null ? "init" : "reattach", null);
        exec.Post(reattach is null ? "starting" : "re-starting", null);
        _config = config;
        _killSignal = config.TermSignal;
        using var timer = StartTimeLimit(expiration, config);
        var signalAt = SignalOption(info, expiration);
        using var signalTimer = signalAt is { } sa ? new LongTimer(TimeProvider.System, sa.Delay, () => _context?.Post(_ => _signal?.Invoke(sa.Signum), null)) : null;
        int code;
        try
        {
            code = reattach is not null ? await RunReattachedAsync(info, r, reattach, ns, exec).ConfigureAwait(true)
                : RunsInHost(hosts, config)
                ? await RunHostedAsync(info, r, hosts, fluxUri, ns, exec, attributes).ConfigureAwait(true)
                : await RunInBrokerAsync(info, config, fluxUri, log, ns, exec).ConfigureAwait(true);
        }
        catch (ShellLostException ex)
        {
            Respond("exception", new JsonObject { ["type"] = "exec", ["severity"] = 0, ["note"] = ex.Message });
            code = 1;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever stopped the shell, the job ends with an exception and the steps below still run.
            if (ex is not (FluxException or IOException or UnauthorizedAccessException))
            {
                JobExecLog.ShellFailed(log, Id, ex.ToString());
            }
            Respond("exception", new JsonObject { ["type"] = "exec", ["severity"] = 0, ["note"] = "job shell failed: " + ex.Message });
            code = 1;
        }
        var status = code << 8;
        exec.Post("complete", new JsonObject { ["status"] = status });
        exec.Post("done", null);
        return status;
    }

    // A shell host runs the job's shell unless a site's job-shell runs each job.
    private static bool RunsInHost([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] ShellHosts? hosts, ExecConfig config) => hosts is not null && config.JobShell is not { Length: > 0 };

    /// <summary>The shell in job-exec itself (<c>[exec] shell-host = "broker"</c>, or an <c>[exec] job-shell</c> it runs).</summary>
    private async Task<int> RunInBrokerAsync(ShellInfo info, ExecConfig config, string fluxUri, ILogger log, string ns, ExecEventlog exec)
    {
        await using var shell = new JobShell(new GuestFlux(flux, info.UserId), info, ns, fluxUri, log, exec.Post, plugins);
        _signal = shell.Kill;
        if (config.JobShell is { Length: > 0 } external)
        {
            // That shell appends its own events to exec.eventlog: init and starting must be there first.
            await exec.FlushAsync().ConfigureAwait(true);
            return await shell.RunExternalAsync(external, Started).ConfigureAwait(true);
        }
        return await shell.RunAsync(Started).ConfigureAwait(true);
    }

    /// <summary>The shell in the user's shell host process (<c>[exec] shell-host = "process"</c>).</summary>
    private async Task<int> RunHostedAsync(ShellInfo info, JsonObject? r, ShellHosts hosts, string fluxUri, string ns, ExecEventlog exec, Task<ShellAttributes>? attributes)
    {
        var host = await hosts.GetAsync(info.UserId, fluxUri).ConfigureAwait(true);
        var shell = new HostedShell(flux, host, Id, info.UserId, info.Jobspec, r, ns, exec.Post, attributes: attributes is null ? null : await attributes.ConfigureAwait(true));
        _signal = shell.Kill;
        return await shell.RunAsync(Started).ConfigureAwait(true);
    }

    /// <summary>The job's shell host reconnected after the restart: this job-exec takes the job over (bounded wait).</summary>
    private async Task<int> RunReattachedAsync(ShellInfo info, JsonObject? r, ShellReattach reattach, string ns, ExecEventlog exec)
    {
        var host = await reattach.WaitAsync(Id).ConfigureAwait(true);
        var shell = new HostedShell(flux, host, Id, info.UserId, info.Jobspec, r, ns, exec.Post, reattach: true);
        _signal = shell.Kill;
        return await shell.RunAsync(() => Started("reattached")).ConfigureAwait(true);
    }

    /// <summary>The tasks run: job-manager hears "start" (or "reattached"), and a signal sent while the shell was starting reaches them now.</summary>
    private void Started() => Started("start");

    private void Started(string response)
    {
        if (_execLog is { } exec)
        {
            _started = StartedAfterLogAsync(exec, response);
            return;
        }
        StartedNow(response);
    }

    /// <summary>
    /// As flux-core's job-exec answers "start" once its shells are at shell.start: the exec eventlog
    /// holding the events up to shell.start is committed first, so a client that follows it once the
    /// job has started (flux job wait-event -p exec) finds it.
    /// </summary>
    private async Task StartedAfterLogAsync(ExecEventlog exec, string response)
    {
        try
        {
            await exec.FlushAsync().ConfigureAwait(true);
        }
        catch (FluxException)
        {
            // The namespace is gone (the job is being torn down): the events are lost, the start is not.
        }
        StartedNow(response);
    }

    private ExecEventlog? _execLog;
    private Task _started = Task.CompletedTask;

    private void StartedNow(string response)
    {
        Respond(response, null);
        if (_pendingSignal is int signum)
        {
            _pendingSignal = null;
            _signal?.Invoke(signum);
            EscalateKill();
        }
    }

    private Action<int>? _signal;
    private int? _pendingSignal;
    private ExecConfig? _config;
    private LongTimer? _escalation;

    /// <summary>After a cancel, the kill signal every kill-timeout until the tasks are gone (flux-config-exec(5)).</summary>
    private void EscalateKill()
    {
        if (_config is not { } config || _escalation is not null)
        {
            return;
        }
        var count = 0;
        _escalation = new LongTimer(TimeProvider.System, config.KillTimeout, () => _context?.Post(_ =>
        {
            if (!_finished && count++ < config.MaxKillCount)
            {
                _signal?.Invoke(config.KillSignal);
                _escalation?.Change(config.KillTimeout);
            }
        }, null));
    }
    /// <summary>The module's loop (the job starts on it): timer callbacks post back to it.</summary>
    private readonly SynchronizationContext? _context = SynchronizationContext.Current;

    private LongTimer? StartTimeLimit(double expiration, ExecConfig config)
    {
        if (expiration <= 0)
        {
            return null;
        }
        var delay = expiration - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var kills = 0;
        LongTimer? t = null;
        t = new LongTimer(TimeProvider.System, delay, () => _context?.Post(_ =>
        {
            if (_finished)
            {
                return;
            }
            if (kills == 0)
            {
                Respond("exception", new JsonObject { ["type"] = "timeout", ["severity"] = 0, ["note"] = "resource allocation expired" });
                SignalOrKeep(config.TermSignal);
            }
            else if (kills <= config.MaxKillCount)
            {
                _signal?.Invoke(config.KillSignal);
            }
            kills++;
            t?.Change(config.KillTimeout);
        }, null));
        return t;
    }

    /// <summary>--signal=SIG@TIME: the shell option signal {signum, timeleft} (default SIGUSR1 60s before the limit).</summary>
    private static (int Signum, double Delay)? SignalOption(ShellInfo info, double expiration)
    {
        var opt = info.Option("signal");
        if (opt is null || expiration <= 0)
        {
            return null;
        }
        var signum = opt["signum"]?.GetValue<int>() ?? 10;
        var timeleft = opt["timeleft"]?.GetValue<double>() ?? 60;
        var at = expiration - timeleft - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        return (signum, at);
    }

    /// <summary>
    /// Copies the guest namespace into job.ID.guest (RFC 16) and removes the namespace; <paramref name="saved"/>
    /// runs once the copy is committed (or has failed), before the removal.
    /// </summary>
    private async Task SnapshotAsync(string ns, string key, ILogger log, Action? saved)
    {
        try
        {
            var root = await flux.RpcAsync("kvs.lookup", new JsonObject { ["key"] = ".", ["namespace"] = ns, ["flags"] = 16 }).ConfigureAwait(true);
            if (root?["val"] is JsonObject treeobj)
            {
                await flux.KvsCommitAsync(new KvsTxn().PutTreeObject(key + ".guest", (JsonObject)treeobj.DeepClone())).ConfigureAwait(true);
            }
        }
        catch (FluxException ex)
        {
            JobExecLog.SnapshotFailed(log, Id, ex.Message);
        }
        saved?.Invoke();
        try
        {
            await flux.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = ns }).ConfigureAwait(true);
        }
        catch (FluxException ex)
        {
            JobExecLog.NamespaceRemoveFailed(log, Id, ns, ex.Message);
        }
    }

    /// <summary>Answers "finish" (RFC 32) once; the release may follow later (<see cref="Finish"/>).</summary>
    private void SendFinish(int status)
    {
        if (_finishSent || _finished)
        {
            return;
        }
        _finishSent = true;
        Respond("finish", new JsonObject { ["status"] = status });
    }

    /// <summary>Answers "finish" (unless already sent), then the final "release" and the end of the stream.</summary>
    private void Finish(int status)
    {
        if (_finished)
        {
            return;
        }
        SendFinish(status);
        _finished = true;
        Respond("release", new JsonObject { ["ranks"] = "all", ["final"] = true });
        flux.RespondError(request, Errno.ENODATA);
        Dispose();
        done(this);
    }

    public void Dispose()
    {
        _kill.Dispose();
        _escalation?.Dispose();
    }

    private void Respond(string type, JsonObject? data)
    {
        var o = new JsonObject { ["id"] = Id, ["type"] = type };
        if (data is not null)
        {
            o["data"] = data;
        }
        flux.Respond(request, o);
    }
}
