// flux-shell JOBID: one job's shell as flux-core runs it, what `[exec] job-shell` names.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Client.Handle;
using Flux.Formats;
using Flux.Shell;

namespace Flux.ShellHost;

/// <summary>
/// Reads FLUX_URI and FLUX_KVS_NAMESPACE from the environment, fetches the job's jobspec, R and
/// owner through job-info, runs its tasks with <see cref="JobShell"/>, posts shell.init and
/// shell.start to the exec eventlog of the job's namespace as flux-core's shell does (RFC 50), and
/// exits with the largest task exit code.
/// </summary>
internal static class StandaloneShell
{
    public static async Task<int> RunAsync(ulong id)
    {
        var ns = Environment.GetEnvironmentVariable("FLUX_KVS_NAMESPACE") is { Length: > 0 } n ? n : $"job-{id}";
        var uri = FluxConnect.ResolveUri(null);
        // The shell runs on one loop, as it does in job-exec: its service's handlers (stdin from
        // attach) and its own steps never run at once.
        using var loop = new ActorContext("flux-shell", ex => Environment.FailFast("flux-shell: unhandled exception on the shell's loop", ex));
        var channel = await FluxConnect.Connector.ConnectAsync(new Uri(uri), CancellationToken.None).ConfigureAwait(false);
        await using var flux = new FluxHandle(channel, "flux-shell", loop, 0, 1);
        flux.Start();
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(_ => flux.Background(RunOnLoopAsync(flux, id, ns, uri, done), "flux-shell", onFault: ex => done.TrySetException(ex)), null);
        return await done.Task.ConfigureAwait(false);
    }

    private static async Task RunOnLoopAsync(FluxHandle flux, ulong id, string ns, string uri, TaskCompletionSource<int> done)
    {
        var resp = await flux.RpcAsync("job-info.lookup", new JsonObject
        {
            ["id"] = id,
            ["keys"] = new JsonArray("jobspec", "R", "eventlog"),
            ["flags"] = 1,
        }).ConfigureAwait(true);
        var jobspec = resp?["jobspec"] as JsonObject ?? throw new FluxException(Errno.EPROTO, $"job {id} has no jobspec");
        var userid = Eventlog.Parse(resp?["eventlog"]?.GetValue<string>() ?? string.Empty)
            .FirstOrDefault(e => e.Name == "submit")?.Context?["userid"]?.GetValue<uint>() ?? throw new FluxException(Errno.EPROTO, $"job {id} has no submit event");
        var info = ShellInfo.Create(id, userid, jobspec, resp?["R"] as JsonObject);
        var events = new List<Task>();
        await using var shell = new JobShell(flux, info, ns, uri, flux.Logger, (name, context) =>
            events.Add(flux.KvsCommitAsync(new KvsTxn().Append("exec.eventlog", new EventlogEntry(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, name, context).ToLine()), ns)));
        var code = await shell.RunAsync(() => { }).ConfigureAwait(true);
        await Task.WhenAll(events).ConfigureAwait(true);
        done.TrySetResult(code);
    }
}
