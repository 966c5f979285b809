// flux-shell JOBID: one job's shell as a process of its own, as job-exec runs an [exec] job-shell
// (flux-config-exec(5)): it reads the job, posts its exec events, writes its output and runs its tasks.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Flux.Formats;
using Flux.Shell;

namespace Flux.ShellHost;

/// <summary>
/// What flux-core's flux-shell does when job-exec starts it as <c>SHELL JOBID</c>: it connects to
/// FLUX_URI, looks up the job's jobspec and R (job-info.lookup), and runs the job's shell there with
/// the job's guest namespace (FLUX_KVS_NAMESPACE, else <c>job-ID</c>): its shell.init and shell.start
/// events go to <c>exec.eventlog</c> and its tasks' output to <c>output</c> in that namespace, its
/// service is <c>USERID-shell-JOBID</c>. SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGUSR2 are forwarded
/// to the tasks (job-exec signals the shell); the exit code is the job's (largest task exit code,
/// 128+N for signal N). A shell that cannot run the job raises a fatal exec exception on it
/// (job-manager.raise) with the reason and exits 1.
/// </summary>
internal static class StandaloneShell
{
    private static readonly int[] Forwarded = [1, 2, 10, 12, 15];

    // Registered until the process exits: a signal that comes after the job's end (job-exec raising
    // on the exception this shell posted, say) is caught, not fatal, so the exit code stays the job's.
    private static List<PosixSignalRegistration>? s_signals;

    public static async Task<int> RunAsync(ulong id)
    {
        var uri = FluxConnect.ResolveUri(null);
        await using var flux = await FluxConnect.OpenAsync(uri).ConfigureAwait(false);
        var ns = Environment.GetEnvironmentVariable("FLUX_KVS_NAMESPACE") is { Length: > 0 } e ? e : $"job-{id}";
        using var loop = new ActorContext($"flux-shell {id}", ex => ShellHostLog.ShellFailed(flux.Logger, id, ex.ToString()));
        JobShell? shell = null;
        s_signals = Forwarded.Select(signum => PosixSignalRegistration.Create((PosixSignal)signum, c =>
        {
            c.Cancel = true;
            loop.Post(_ => shell?.Kill(signum), null);
        })).ToList();
        return await loop.RunAsync(async () =>
        {
            ShellInfo info;
            try
            {
                info = await LookupAsync(flux, id).ConfigureAwait(true);
            }
            catch (FluxException ex)
            {
                return await FailAsync(flux, id, $"job {Fluid.Encode(id, FluidEncoding.F58)}: {ex.Message}").ConfigureAwait(true);
            }
            var pluginPath = await flux.GetAttrAsync("conf.shell_pluginpath").ConfigureAwait(true);
            var plugins = new HostPluginLoader(flux, name => name == "conf.shell_pluginpath" ? pluginPath : null, _ => new BrokerLogger(flux, "shell"));
            var events = new ShellExecEvents(flux, ns);
            // As in a shell host: the job's shell and its C# plugins speak as the job's guest (flux-shell(1)).
            await using (shell = new JobShell(new GuestFlux(flux, info.UserId), info, ns, uri, flux.Logger, events.Post, plugins))
            {
                try
                {
                    var code = await shell.RunAsync(() => { }).ConfigureAwait(true);
                    await events.FlushAsync().ConfigureAwait(true);
                    return code;
                }
                catch (Exception ex) when (ex is FluxException or IOException or UnauthorizedAccessException)
                {
                    await events.FlushAsync().ConfigureAwait(true);
                    return await FailAsync(flux, id, "job shell failed: " + ex.Message).ConfigureAwait(true);
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The job's current jobspec and R, and its owner (this process's user: the shell runs as the job's user).</summary>
    private static async Task<ShellInfo> LookupAsync(FluxHandle flux, ulong id)
    {
        var resp = await flux.RpcAsync("job-info.lookup", new JsonObject
        {
            ["id"] = id,
            ["keys"] = new JsonArray("jobspec", "R"),
            ["flags"] = 2, // the current jobspec and R, updates applied
        }).ConfigureAwait(true);
        var jobspec = Parse(resp?["jobspec"], "jobspec") as JsonObject ?? throw new FluxException(Errno.EPROTO, "jobspec is not an object");
        var r = Parse(resp?["R"], "R") as JsonObject ?? throw new FluxException(Errno.EPROTO, "R is not an object");
        return ShellInfo.Create(id, RealUserId(), jobspec, r);
    }

    private static JsonNode? Parse(JsonNode? value, string key) => value switch
    {
        JsonValue v when v.TryGetValue(out string? text) => JsonNode.Parse(text),
        JsonObject o => o,
        _ => throw new FluxException(Errno.EPROTO, $"job-info.lookup gave no {key}"),
    };

    /// <summary>The real user id of this process, from /proc/self/status (no native call needed).</summary>
    private static uint RealUserId()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal)
                && uint.TryParse(line[4..].Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                return uid;
            }
        }
        throw new FluxException(Errno.EPROTO, "/proc/self/status has no Uid line");
    }

    /// <summary>As flux-core's shell_die: the reason on stderr (job-exec logs it) and a fatal exec exception on the job.</summary>
    private static async Task<int> FailAsync(FluxHandle flux, ulong id, string note)
    {
        await Console.Error.WriteLineAsync("flux-shell: " + note).ConfigureAwait(true);
        try
        {
            await flux.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "exec", ["severity"] = 0, ["note"] = note }).ConfigureAwait(true);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"flux-shell: raising the exception failed: {ex.Message}").ConfigureAwait(true);
        }
        return 1;
    }

    /// <summary>The shell's RFC 50 events (shell.init, shell.start) appended to exec.eventlog in the job's namespace, in order.</summary>
    private sealed class ShellExecEvents(FluxHandle flux, string ns)
    {
        private Task _last = Task.CompletedTask;

        public void Post(string name, JsonObject? context)
        {
            var txn = new KvsTxn();
            txn.Append("exec.eventlog", new EventlogEntry(EventlogEntry.Now(), name, context).ToLine());
            var previous = _last;
            _last = CommitAfterAsync(flux, ns, previous, txn);
            flux.Background(_last, $"{ns}: posting {name}");
        }

        /// <summary>Waits for every event posted so far; one that could not be posted was reported already.</summary>
        public async Task FlushAsync()
        {
            try
            {
                await _last.ConfigureAwait(true);
            }
            catch (FluxException)
            {
                // Reported by the background work that posted it.
            }
        }

        private static async Task CommitAfterAsync(FluxHandle flux, string ns, Task previous, KvsTxn txn)
        {
            try
            {
                await previous.ConfigureAwait(true);
            }
            catch (FluxException)
            {
                // The previous event was lost (and reported): this one still goes after it.
            }
            await flux.KvsCommitAsync(txn, ns).ConfigureAwait(true);
        }
    }
}
