// mpir: the shell's MPIR process table service for parallel debuggers (flux-core's src/shell/mpir/mpir.c).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// Serves <c>USERID-shell-JOBID.proctable</c>: the job's MPIR_proctable (host name, executable — the task's
/// argv[0] —, task id and pid of every task, and the broker rank that runs it), encoded as flux-core's
/// shell encodes it (<see cref="ProcTable"/>). <c>flux job attach --debug</c> fetches it once the exec
/// eventlog's <c>shell.start</c> event is posted (with <c>sync: true</c> under <c>-o stop-tasks-in-exec</c>,
/// when every task is stopped in exec). Each job here has one shell, so the leader's table is the whole
/// table (flux-core's leader gathers the other shells' tables). Only the job's owner and the instance
/// owner may ask (EPERM); before any task has started the answer is EAGAIN.
/// </summary>
[FluxPlugin("mpir", PluginKind.ShellPlugin, Description = "serves the MPIR process table to debuggers (flux job attach --debug)")]
public sealed class Mpir(IShell shell) : IFluxPlugin, IDisposable
{
    private IDisposable? _registration;
    private string? _hostname;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _registration = shell.Flux.RegisterHandler(MessageType.Request, shell.Service + ".proctable", OnProcTable, FluxRole.User);
    }

    public void Dispose() => _registration?.Dispose();

    /// <summary>The job's userid: the service is named <c>USERID-shell-JOBID</c>.</summary>
    private uint JobUserId() =>
        uint.TryParse(shell.Service.AsSpan(0, Math.Max(0, shell.Service.IndexOf('-', StringComparison.Ordinal))), NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            ? uid
            : throw new FluxException(Errno.EPROTO, $"proctable: cannot read the job's userid from service '{shell.Service}'");

    private ValueTask OnProcTable(Message msg)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != JobUserId())
        {
            throw new FluxException(Errno.EPERM, "proctable: only the job's owner may read its process table");
        }
        shell.Flux.Respond(msg, Build());
        return ValueTask.CompletedTask;
    }

    /// <summary>This shell's tasks that have a pid, in task order.</summary>
    internal JsonObject Build()
    {
        var started = shell.Tasks.Where(t => t.Pid > 0).OrderBy(t => t.Rank).ToList();
        if (started.Count == 0)
        {
            throw new FluxException(Errno.EAGAIN, "proctable: no task of this job has started yet");
        }
        _hostname ??= System.Net.Dns.GetHostName();
        // Read as text: the value may be built in code from an unsigned rank.
        var brokerRank = shell.RankInfo()["broker_rank"] is { } r ? int.Parse(r.ToJsonString(), CultureInfo.InvariantCulture) : 0;
        var table = ProcTable.Encode(started.Select(t => (_hostname, t.Argv.Count > 0 ? t.Argv[0] : string.Empty, t.Rank, t.Pid, brokerRank)));
        shell.Debug($"mpir: proctable of {started.Count} task(s) sent");
        return table;
    }
}
