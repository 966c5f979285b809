// The shell host (flux-shell --host): one long-lived process per user per node that runs the job
// shells job-exec sends it, each job's JobShell on the host's loop, and with --reconnect keeps them
// through a broker restart.
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Flux.Shell;

namespace Flux.ShellHost;

/// <summary>
/// Serves <see cref="ShellHostProtocol"/>: a job arrives as a streaming <c>SERVICE.run</c> request,
/// its JobShell runs here, and the exec events, the start and the exit code go back as responses.
/// Starting a .NET process costs tens of milliseconds; one host paid once keeps a job's cost to the
/// shell itself (see docs/architecture.md, "The job shell"). The host ends on SIGTERM, killing the
/// tasks of the jobs it still runs. When its broker connection closes it ends the same way, unless
/// it reconnects (<see cref="ReconnectingFlux"/>): then it tells the new job-exec which jobs it runs
/// (<see cref="ShellHostProtocol.Hello"/>), each job's responses go to the <c>reattach</c> request that
/// takes it over, and a job not taken over within the reconnect timeout has its tasks killed.
/// </summary>
internal sealed class HostService(ReconnectingFlux flux, string service, string uri, HostPluginLoader plugins, TimeSpan reconnectTimeout)
{
    private readonly Dictionary<ulong, HostedJob> _jobs = [];

    public static async Task<int> RunAsync(string service, bool reconnect, TimeSpan reconnectTimeout, string? uriFile)
    {
        var uri = Flux.Client.Connectors.FluxConnect.ResolveUri(null);
        using var loop = new ActorContext("flux-shell host", ex => Console.Error.WriteLine($"flux-shell: {ex}"));
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        return await loop.RunAsync(async () =>
        {
            await using var flux = await ReconnectingFlux.OpenAsync(loop, uri, uriFile, reconnectTimeout, reconnect).ConfigureAwait(true);
            // The shell plugin path is read once: the host outlives many jobs, and the attribute is set at the instance's start.
            var pluginPath = await flux.GetAttrAsync("conf.shell_pluginpath").ConfigureAwait(true);
            // One host runs many jobs: a C# shell plugin's context is kept from one job to the next (ReuseContexts).
            var plugins = new HostPluginLoader(flux, name => name == "conf.shell_pluginpath" ? pluginPath : null, category => new BrokerLogger(flux, "shell"))
            {
                ReuseContexts = true,
            };
            var host = new HostService(flux, service, uri, plugins, reconnectTimeout);
            flux.Lost += host.OnLost;
            flux.Reconnected += host.OnReconnected;
            flux.GaveUp += why =>
            {
                Console.Error.WriteLine($"flux-shell: shell host {service} gives up: {why}; killing the tasks of {host._jobs.Count} job(s)");
                ShellHostLog.GaveUp(flux.Logger, why, host._jobs.Count);
                stop.TrySetResult();
            };
            using var run = flux.RegisterHandler(MessageType.Request, service + ShellHostProtocol.Run, host.OnRun);
            using var kill = flux.RegisterHandler(MessageType.Request, service + ShellHostProtocol.Kill, host.OnKill);
            using var reattach = flux.RegisterHandler(MessageType.Request, service + ShellHostProtocol.Reattach, host.OnReattach);
            await flux.AddServiceAsync(service).ConfigureAwait(true);
            ShellHostLog.Ready(flux.Logger, service, Environment.ProcessId);
            await Console.Out.WriteLineAsync(ShellHostProtocol.ReadyLine).ConfigureAwait(true);
            await Console.Out.FlushAsync().ConfigureAwait(true);
            await stop.Task.ConfigureAwait(true);
            flux.Stop();
            host.KillAll();
            return 0;
        }).ConfigureAwait(false);
    }

    /// <summary>A job to run: its shell loads the job's C# shell plugins here, each in a collectible context of its own, released at its end.</summary>
    private ValueTask OnRun(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "run is a streaming RPC");
        }
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing id");
        var userid = req["userid"]?.GetValue<uint>() ?? throw new FluxException(Errno.EPROTO, "missing userid");
        var jobspec = req["jobspec"] as JsonObject ?? throw new FluxException(Errno.EPROTO, "missing jobspec");
        var ns = req["namespace"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "missing namespace");
        if (_jobs.ContainsKey(id))
        {
            throw new FluxException(Errno.EEXIST, $"job {id} already runs in this shell host");
        }
        var attributes = ShellAttributes.FromJson(req["attributes"]);
        var info = ShellInfo.Create(id, userid, jobspec, req["R"] as JsonObject);
        var job = new HostedJob { Request = msg };
        _jobs[id] = job;
        // The error goes to the request the job answers now: the one it came with may have died with its broker.
        flux.Background(RunJobAsync(job, info, ns, attributes), $"job {id}: the job shell", onFault: ex =>
        {
            _jobs.Remove(id);
            ShellHostLog.ShellFailed(flux.Logger, id, ex.Message);
            if (job.Request is { } current)
            {
                flux.RespondError(current, ex is FluxException fe ? fe.Errnum : Errno.EIO, ex.Message);
            }
        });
        return ValueTask.CompletedTask;
    }

    private async Task RunJobAsync(HostedJob job, ShellInfo info, string ns, ShellAttributes? attributes)
    {
        // The job's shell, and the C# plugins it hands IShell.Flux, reach the broker as the job's user with a guest's
        // rights (flux-shell(1)), not with the host connection's (in a single-user instance, the owner's).
        await using var shell = new JobShell(new GuestFlux(flux, info.UserId), info, ns, uri, flux.Logger,
            (name, context) => job.Respond(flux, new JsonObject { ["type"] = "event", ["name"] = name, ["context"] = context }), plugins)
        {
            Attributes = attributes,
        };
        job.Shell = shell;
        var code = await shell.RunAsync(() =>
        {
            job.Pids = [.. shell.TaskPids];
            job.Respond(flux, Started(job));
        }).ConfigureAwait(true);
        job.ExitCode = code;
        if (job.Request is not null || job.Abandoned)
        {
            Finish(info.Id, job);
        }
        // Else the connection is down or not yet claimed: the exit code waits for the reattach.
    }

    /// <summary>The restarted job-exec takes a job over: its responses go to this request from now on.</summary>
    private ValueTask OnReattach(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "reattach is a streaming RPC");
        }
        var id = msg.GetJson()["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing id");
        if (!_jobs.TryGetValue(id, out var job) || job.Abandoned)
        {
            throw new FluxException(Errno.ENOENT, $"job {id} does not run in this shell host");
        }
        if (job.Request is not null)
        {
            throw new FluxException(Errno.EEXIST, $"job {id} is already attached");
        }
        job.Request = msg;
        if (job.Pids is not null)
        {
            flux.Respond(msg, Started(job));
        }
        if (job.ExitCode is not null)
        {
            Finish(id, job);
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnKill(Message msg)
    {
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing id");
        var signum = req["signum"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "missing signum");
        if (!_jobs.TryGetValue(id, out var job) || job.Shell is null)
        {
            throw new FluxException(Errno.ENOENT, $"job {id} does not run in this shell host");
        }
        job.Shell.Kill(signum);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>The requests of the old connection died with its broker: nothing more is sent to them.</summary>
    private void OnLost()
    {
        foreach (var job in _jobs.Values)
        {
            job.Request = null;
        }
    }

    /// <summary>Back: job-exec hears which jobs run here, and has until the reconnect timeout to take each over.</summary>
    private void OnReconnected()
    {
        foreach (var (id, job) in _jobs)
        {
            if (job.Shell is { } shell && job.ExitCode is null)
            {
                flux.Background(shell.ReconnectedAsync(), $"job {id}: shell.reconnect");
            }
        }
        flux.Background(HelloAsync(), "telling job-exec which jobs run in this shell host");
        flux.Background(AbandonUnclaimedAsync(), "ending the jobs job-exec does not take over");
    }

    private async Task HelloAsync()
    {
        var deadline = DateTimeOffset.UtcNow + reconnectTimeout;
        while (true)
        {
            try
            {
                await flux.RpcAsync(ShellHostProtocol.Hello, new JsonObject
                {
                    ["service"] = service,
                    ["pid"] = Environment.ProcessId,
                    ["jobs"] = new JsonArray([.. _jobs.Keys.Select(id => (JsonNode)id)]),
                }).ConfigureAwait(true);
                return;
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS && DateTimeOffset.UtcNow < deadline)
            {
                // job-exec is not loaded yet (the broker is still starting its modules).
                await Task.Delay(ReconnectingFlux.RetryPeriod).ConfigureAwait(true);
            }
        }
    }

    private async Task AbandonUnclaimedAsync()
    {
        await Task.Delay(reconnectTimeout).ConfigureAwait(true);
        foreach (var (id, job) in _jobs.ToList())
        {
            if (job.Request is not null || job.Abandoned)
            {
                continue;
            }
            ShellHostLog.NotReattached(flux.Logger, id, reconnectTimeout.TotalSeconds);
            job.Abandoned = true;
            if (job.ExitCode is not null)
            {
                _jobs.Remove(id);
            }
            else
            {
                job.Shell?.Kill(9);
            }
        }
    }

    private void Finish(ulong id, HostedJob job)
    {
        _jobs.Remove(id);
        if (job.Request is { } msg)
        {
            flux.Respond(msg, new JsonObject { ["type"] = "exit", ["code"] = job.ExitCode });
            flux.RespondError(msg, Errno.ENODATA);
        }
    }

    private static JsonObject Started(HostedJob job) => new()
    {
        ["type"] = "started",
        ["pids"] = new JsonArray([.. (job.Pids ?? []).Select(p => (JsonNode)p)]),
    };

    /// <summary>SIGKILL to every task still running: called as the host ends.</summary>
    private void KillAll()
    {
        foreach (var job in _jobs.Values)
        {
            job.Shell?.Kill(9);
        }
    }

    /// <summary>One job in this host: its shell, the request its responses go to (none while disconnected), its end.</summary>
    private sealed class HostedJob
    {
        public JobShell? Shell { get; set; }

        public Message? Request { get; set; }

        public int[]? Pids { get; set; }

        public int? ExitCode { get; set; }

        /// <summary>Not taken over after a reconnection: its tasks were killed, nobody waits for its end.</summary>
        public bool Abandoned { get; set; }

        public void Respond(ReconnectingFlux flux, JsonObject payload)
        {
            if (Request is { } msg)
            {
                flux.Respond(msg, payload);
            }
        }
    }
}
