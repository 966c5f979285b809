// The shell's service (USERID-shell-JOBID): input from attach to the tasks' stdin, and the attached
// terminal's size to the tasks' ptys.
using System.Text;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Shell;

public sealed partial class JobShell
{
    private async Task RegisterServiceAsync()
    {
        _registrations.Add(_flux.RegisterHandler(MessageType.Request, _info.Service + ".stdin", OnStdin, FluxRole.User));
        _registrations.Add(_flux.RegisterHandler(MessageType.Request, _info.Service + ".pty-resize", OnPtyResize, FluxRole.User));
        await _flux.AddServiceAsync(_info.Service).ConfigureAwait(true);
    }

    private async Task RemoveServiceAsync()
    {
        try
        {
            await _flux.RemoveServiceAsync(_info.Service, CancellationToken.None).ConfigureAwait(true);
        }
        catch (FluxException)
        {
            // Never registered (the shell failed first), or already gone with the broker.
        }
    }

    /// <summary>
    /// The attached terminal's size, {rows, columns, rank?: "all"|RANKS}: the terminals of the tasks
    /// that run on one get it (their programs see SIGWINCH). ENOTTY when no task has a terminal.
    /// </summary>
    private ValueTask OnPtyResize(Message msg)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != _info.UserId)
        {
            throw new FluxException(Errno.EPERM, "only the job's owner may resize its terminal");
        }
        var req = msg.GetJson();
        var rows = req["rows"]?.GetValue<int>() ?? -1;
        var columns = req["columns"]?.GetValue<int>() ?? -1;
        if (rows is < 1 or > ushort.MaxValue || columns is < 1 or > ushort.MaxValue)
        {
            throw new FluxException(Errno.EINVAL, $"pty-resize: rows and columns must be 1-{ushort.MaxValue} (got {rows}x{columns})");
        }
        var rank = req["rank"]?.GetValue<string>() ?? "all";
        var targets = rank == "all" ? _tasks : [.. _tasks.Where(t => IdSet.Parse(rank).Contains((uint)t.Rank))];
        var resized = 0;
        foreach (var t in targets)
        {
            resized += t.Resize(rows, columns) ? 1 : 0;
        }
        if (resized == 0)
        {
            throw new FluxException(Errno.ENOTTY, "pty-resize: no task of this job runs on a terminal");
        }
        _flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>Input from attach: {stream:"stdin", rank:"all"|RANKS, data, encoding?, eof?}.</summary>
    private async ValueTask OnStdin(Message msg)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != _info.UserId)
        {
            throw new FluxException(Errno.EPERM, "only the job's owner may write to its stdin");
        }
        var req = msg.GetJson();
        var rank = req["rank"]?.GetValue<string>() ?? "all";
        _output.Input(req);
        var targets = rank == "all" ? _tasks : [.. _tasks.Where(t => IdSet.Parse(rank).Contains((uint)t.Rank))];
        if (req["data"]?.GetValue<string>() is { } data)
        {
            var bytes = req["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(data);
            foreach (var t in targets)
            {
                await t.WriteStdinAsync(bytes).ConfigureAwait(true);
            }
        }
        if (req["eof"]?.GetValue<bool>() == true)
        {
            foreach (var t in targets)
            {
                t.CloseStdin();
            }
        }
        _flux.Respond(msg);
    }
}
