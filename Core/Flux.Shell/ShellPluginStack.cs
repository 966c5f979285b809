// The shell's plugin stack: handlers by topic glob, called in load order at each lifecycle point of
// flux-shell(1). Builtins register here, and so do Lua plugins (plugin.register) and C# shell plugins.
using System.Text.Json.Nodes;

namespace Flux.Shell;

/// <summary>A handler for a shell topic; returning false fails the callback (and, in shell.init, the job).</summary>
internal delegate ValueTask<bool> ShellHandler(string topic, JsonObject args);

internal sealed class ShellPluginStack
{
    /// <summary>Every topic flux-shell(1) calls, in lifecycle order.</summary>
    public static readonly string[] Topics =
    [
        "shell.connect", "shell.init", "shell.post-init", "task.init", "task.exec", "task.fork", "shell.start",
        "task.exit", "shell.tasks-complete", "shell.finish", "shell.exit", "shell.log", "shell.lost",
        "shell.resource-update", "shell.reconnect",
    ];

    private readonly List<(string Plugin, string Glob, ShellHandler Handler)> _handlers = [];

    /// <summary>The plugins with handlers on the stack, in call order.</summary>
    public IReadOnlyList<string> Plugins => [.. _handlers.Select(h => h.Plugin).Distinct()];

    /// <summary>Registers a plugin's handlers. A plugin with a name already used replaces it and moves to the end (the last one loaded wins).</summary>
    public void Register(string plugin, IEnumerable<(string Glob, ShellHandler Handler)> handlers)
    {
        _handlers.RemoveAll(h => h.Plugin == plugin);
        foreach (var (glob, handler) in handlers)
        {
            _handlers.Add((plugin, glob, handler));
        }
    }

    /// <summary>
    /// Calls every handler matching a topic in load order and returns the plugins whose handler failed. A failure
    /// does not stop the call: every plugin still runs, as in flux-core's plugstack.c.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> CallAsync(string topic, JsonObject args)
    {
        List<string>? failed = null;
        foreach (var (plugin, glob, handler) in _handlers.ToList())
        {
            if (Flux.Formats.Glob.IsMatch(glob, topic) && !await handler(topic, args).ConfigureAwait(true) && failed?.Contains(plugin) != true)
            {
                (failed ??= []).Add(plugin);
            }
        }
        return failed ?? (IReadOnlyList<string>)[];
    }
}
