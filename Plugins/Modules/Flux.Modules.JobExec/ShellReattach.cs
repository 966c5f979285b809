// After a broker restart: the shell hosts that reconnect (flux-shell --reconnect) and the running
// jobs job-manager hands back with reattach, matched up so that each job is taken over.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Shell;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

/// <summary>
/// A host that reconnects sends <see cref="ShellHostProtocol.Hello"/> {service, pid, jobs}; a job that
/// job-manager restarts with <c>reattach</c> waits here for the host that claims it. The two may come
/// in either order. Every wait ends: a job no host claims within <c>[exec] shell-reconnect-timeout</c>
/// of this job-exec's start gets its exec exception, and a returned host that goes away (it is not
/// this broker's child: its pid is checked every <see cref="PollPeriod"/>) takes its jobs with it.
/// A returned host gets SIGTERM once none of its jobs is left to take over (new jobs go to hosts this
/// job-exec starts), and at unload as the hosts it started do.
/// </summary>
internal sealed partial class ShellReattach(IFlux flux, ILogger log)
{
    /// <summary>How often a returned host's pid is checked.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<ulong, ReturnedShellHost> _claimed = [];
    private readonly Dictionary<ulong, TaskCompletionSource<ReturnedShellHost>> _waiting = [];
    private readonly DateTimeOffset _loaded = DateTimeOffset.UtcNow;
    private readonly List<ReturnedShellHost> _hosts = [];

    /// <summary><c>[exec] shell-reconnect-timeout</c>, counted from this job-exec's start.</summary>
    public double TimeoutSeconds { get; set; } = 300;

    private DateTimeOffset Deadline => _loaded + TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>A reconnected host: the jobs it runs now.</summary>
    public ValueTask OnHello(Message msg)
    {
        var req = msg.GetJson();
        var service = req["service"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "shell-hello: missing service");
        var pid = req["pid"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "shell-hello: missing pid");
        var jobs = (req["jobs"] as JsonArray ?? throw new FluxException(Errno.EPROTO, "shell-hello: missing jobs")).Select(j => j!.GetValue<ulong>()).ToList();
        var host = new ReturnedShellHost(service, pid);
        _hosts.Add(host);
        JobExecLog.ShellHostReturned(log, service, pid, jobs.Count);
        foreach (var id in jobs)
        {
            if (_waiting.Remove(id, out var waiter))
            {
                waiter.TrySetResult(host);
            }
            else
            {
                _claimed[id] = host;
            }
        }
        flux.Background(WatchAsync(host), $"returned shell host {service}: watching pid {pid}");
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>The host that runs job <paramref name="id"/>, once it has said so; a loss after the timeout.</summary>
    public async Task<ReturnedShellHost> WaitAsync(ulong id)
    {
        if (_claimed.Remove(id, out var host))
        {
            return host;
        }
        var tcs = new TaskCompletionSource<ReturnedShellHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = tcs;
        var left = Deadline - DateTimeOffset.UtcNow;
        var timeout = Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        if (await Task.WhenAny(tcs.Task, timeout).ConfigureAwait(true) == tcs.Task)
        {
            return await tcs.Task.ConfigureAwait(true);
        }
        _waiting.Remove(id);
        throw new ShellLostException(string.Create(CultureInfo.InvariantCulture,
            $"the instance restarted while the job was running, and its job shell did not reconnect within {TimeoutSeconds}s ([exec] shell-reconnect-timeout)"));
    }

    /// <summary>SIGTERM to every returned host still there (job-exec unloads): each kills its tasks and exits.</summary>
    public void StopAll()
    {
        foreach (var host in _hosts)
        {
            _ = Kill(host.Pid, 15);
        }
        _hosts.Clear();
    }

    private async Task WatchAsync(ReturnedShellHost host)
    {
        // The first look comes after a period: jobs handed to their waiters register with the host on their next turn.
        while (await Delay() && Directory.Exists($"/proc/{host.Pid}"))
        {
            var unclaimed = _claimed.ContainsValue(host);
            if (host.Jobs.Count == 0 && (!unclaimed || DateTimeOffset.UtcNow > Deadline) && _hosts.Contains(host))
            {
                // Nothing left for it to run: the jobs job-manager did not hand back are the host's to end.
                foreach (var id in _claimed.Where(kv => kv.Value == host).Select(kv => kv.Key).ToList())
                {
                    _claimed.Remove(id);
                }
                _hosts.Remove(host);
                _ = Kill(host.Pid, 15);
            }
        }
        _hosts.Remove(host);
        foreach (var job in host.Jobs.ToList())
        {
            job.Lost("exited");
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(PollPeriod).ConfigureAwait(true);
        return true;
    }

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signum);
}
