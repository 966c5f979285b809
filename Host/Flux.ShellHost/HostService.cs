// The shell host (flux-shell --host): one long-lived process per user per node that runs the job
// shells job-exec sends it, each job's JobShell on the host's loop.
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Flux.Shell;

namespace Flux.ShellHost;

/// <summary>
/// Serves <see cref="ShellHostProtocol"/>: a job arrives as a streaming <c>SERVICE.run</c> request,
/// its JobShell runs here, and the exec events, the start and the exit code go back as responses.
/// Starting a .NET process costs tens of milliseconds; one host paid once keeps a job's cost to the
/// shell itself (see docs/architecture.md, "The job shell"). The host ends on SIGTERM or when its
/// broker connection closes, killing the tasks of the jobs it still runs: it never leaves them behind.
/// </summary>
internal sealed class HostService(FluxHandle flux, string uri, HostPluginLoader plugins)
{
    // Concurrent: the SIGTERM path reads it off the handle's loop.
    private readonly ConcurrentDictionary<ulong, JobShell> _jobs = new();

    public static async Task<int> RunAsync(string service)
    {
        var uri = FluxConnect.ResolveUri(null);
        await using var flux = await FluxConnect.OpenAsync(uri).ConfigureAwait(false);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flux.Closed += _ => stop.TrySetResult();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        // The shell plugin path is read once: the host outlives many jobs, and the attribute is set at the instance's start.
        var pluginPath = await flux.GetAttrAsync("conf.shell_pluginpath").ConfigureAwait(false);
        var plugins = new HostPluginLoader(flux, name => name == "conf.shell_pluginpath" ? pluginPath : null, category => new BrokerLogger(flux, "shell"));
        var host = new HostService(flux, uri, plugins);
        using var run = flux.RegisterHandler(MessageType.Request, service + ShellHostProtocol.Run, host.OnRun);
        using var kill = flux.RegisterHandler(MessageType.Request, service + ShellHostProtocol.Kill, host.OnKill);
        await flux.AddServiceAsync(service).ConfigureAwait(false);
        ShellHostLog.Ready(flux.Logger, service, Environment.ProcessId);
        await Console.Out.WriteLineAsync(ShellHostProtocol.ReadyLine).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await stop.Task.ConfigureAwait(false);
        host.KillAll();
        return 0;
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
        var info = ShellInfo.Create(id, userid, jobspec, req["R"] as JsonObject);
        flux.Background(RunJobAsync(msg, info, ns), $"job {id}: the job shell", msg, ex => ShellHostLog.ShellFailed(flux.Logger, id, ex.Message));
        return ValueTask.CompletedTask;
    }

    private async Task RunJobAsync(Message msg, ShellInfo info, string ns)
    {
        // The job's shell, and the C# plugins it hands IShell.Flux, reach the broker as the job's user with a guest's
        // rights (flux-shell(1)), not with the host connection's (in a single-user instance, the owner's).
        await using var shell = new JobShell(new GuestFlux(flux, info.UserId), info, ns, uri, flux.Logger,
            (name, context) => flux.Respond(msg, new JsonObject { ["type"] = "event", ["name"] = name, ["context"] = context }), plugins);
        _jobs[info.Id] = shell;
        int code;
        try
        {
            code = await shell.RunAsync(() => flux.Respond(msg, new JsonObject
            {
                ["type"] = "started",
                ["pids"] = new JsonArray([.. shell.TaskPids.Select(p => (JsonNode)p)]),
            })).ConfigureAwait(true);
        }
        finally
        {
            _jobs.TryRemove(info.Id, out _);
        }
        flux.Respond(msg, new JsonObject { ["type"] = "exit", ["code"] = code });
        flux.RespondError(msg, Errno.ENODATA);
    }

    private ValueTask OnKill(Message msg)
    {
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing id");
        var signum = req["signum"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "missing signum");
        if (!_jobs.TryGetValue(id, out var shell))
        {
            throw new FluxException(Errno.ENOENT, $"job {id} does not run in this shell host");
        }
        shell.Kill(signum);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>SIGKILL to every task still running: called as the host ends.</summary>
    private void KillAll()
    {
        foreach (var shell in _jobs.Values)
        {
            shell.Kill(9);
        }
    }
}
