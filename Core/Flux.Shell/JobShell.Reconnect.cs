// The shell's side of flux-shell(1) --reconnect: the plugins hear that the broker connection is back.
using System.Text.Json.Nodes;

namespace Flux.Shell;

/// <content>shell.reconnect, called by the shell host once its connection to a restarted broker is up again.</content>
public sealed partial class JobShell
{
    /// <summary>
    /// The connection to the broker was lost and is back (a restarted broker): the plugin stack gets
    /// <c>shell.reconnect</c>, as flux-core's shell calls it after re-registering its service. A failing
    /// handler is logged, not fatal. Nothing is called once the shell has ended.
    /// </summary>
    public async Task ReconnectedAsync()
    {
        if (_disposed)
        {
            return;
        }
        await CallAsync("shell.reconnect", new JsonObject { ["jobid"] = _info.Id, ["rank"] = 0, ["size"] = 1, ["ntasks"] = _info.NTasks }).ConfigureAwait(true);
    }
}
