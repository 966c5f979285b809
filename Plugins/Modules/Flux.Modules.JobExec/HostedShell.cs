// One job's shell run in a shell host process: the run request, its responses, kill, and loss.
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Shell;

namespace Flux.Modules.JobExec;

/// <summary>
/// The job-exec side of <see cref="ShellHostProtocol"/> for one job. The exec events come back in
/// the order the shell posted them and go to the exec eventlog as the in-broker shell's do. If the
/// host dies, <see cref="Lost"/> ends the run with "job shell exited unexpectedly", and the job's task
/// process groups (whose ids came with the start) are killed: no task outlives its shell. With
/// <c>reattach</c> (the instance restarted under the job) it takes over a job the host already runs:
/// <c>SERVICE.reattach</c> instead of <c>run</c>, answered the same way.
/// </summary>
internal sealed partial class HostedShell(IFlux flux, IShellHost host, ulong id, uint userid, JsonObject jobspec, JsonObject? r, string ns, Action<string, JsonObject?> execEvent, bool reattach = false, ShellAttributes? attributes = null)
{
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _pids = [];

    public async Task<int> RunAsync(Action onStarted)
    {
        host.Jobs.Add(this);
        try
        {
            var req = reattach
                ? Message.Request(host.Service + ShellHostProtocol.Reattach, new JsonObject { ["id"] = id })
                : Message.Request(host.Service + ShellHostProtocol.Run, new JsonObject
                {
                    ["id"] = id,
                    ["userid"] = userid,
                    ["jobspec"] = jobspec.DeepClone(),
                    ["R"] = r?.DeepClone(),
                    ["namespace"] = ns,
                    ["attributes"] = attributes?.ToJson(),
                });
            using var cancel = new CancellationTokenSource();
            var stream = flux.StreamAsync(req, cancel.Token).GetAsyncEnumerator(cancel.Token);
            while (true)
            {
                var next = stream.MoveNextAsync().AsTask();
                if (await Task.WhenAny(next, _lost.Task).ConfigureAwait(true) == _lost.Task)
                {
                    KillTasks();
                    // The stream's pending read ends with the cancellation; the job ends with the loss.
                    await cancel.CancelAsync().ConfigureAwait(true);
                    await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(true);
                    await _lost.Task.ConfigureAwait(true);
                }
                if (!await next.ConfigureAwait(true))
                {
                    throw new FluxException(Errno.EPROTO, "the shell host ended the job without an exit code");
                }
                var o = stream.Current.GetJson();
                switch (o["type"]?.GetValue<string>())
                {
                    case "event":
                        execEvent(o["name"]?.GetValue<string>() ?? "unknown", o["context"]?.DeepClone() as JsonObject);
                        break;
                    case "started":
                        _pids.AddRange((o["pids"] as JsonArray ?? []).Select(p => p!.GetValue<int>()));
                        onStarted();
                        break;
                    case "exit":
                        await stream.DisposeAsync().ConfigureAwait(true);
                        return o["code"]?.GetValue<int>() ?? 1;
                    default:
                        break;
                }
            }
        }
        finally
        {
            host.Jobs.Remove(this);
        }
    }

    /// <summary>Signals the job's tasks through the host.</summary>
    public void Kill(int signum) =>
        flux.Background(KillAsync(signum), $"job {id}: signal {signum} to the shell host");

    /// <summary>The host died (<paramref name="how"/>: "signal 9", "exited"): the run ends with the job shell's loss.</summary>
    public void Lost(string how) =>
        _lost.TrySetException(new ShellLostException($"job shell exited unexpectedly (shell host pid {host.Pid}: {how})"));

    private async Task KillAsync(int signum)
    {
        try
        {
            await flux.RpcAsync(host.Service + ShellHostProtocol.Kill, new JsonObject { ["id"] = id, ["signum"] = signum }).ConfigureAwait(true);
        }
        catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.ENOSYS)
        {
            // The job has just ended, or the host with it (its loss is handled by Lost).
        }
    }

    private void KillTasks()
    {
        foreach (var pid in _pids)
        {
            _ = Kill(-pid, 9);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signum);
}
