// The plugin-template job shell plugin: sets PLUGIN_TEMPLATE in each task's environment before the task starts.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace PluginTemplate;

/// <summary>
/// Every job's shell loads it once installed (flux plugin install); the value is its conf's
/// <c>value</c> (from initrc.lua, which finds it by name), else "plugin-template":
/// <code>
/// flux run -n2 --label-io printenv PLUGIN_TEMPLATE          # 0: plugin-template (rank 0) ...
/// echo 'plugin.load { file = "plugin-template", conf = { value = "hi" } }' > rc.lua
/// flux run -o userrc=$PWD/rc.lua printenv PLUGIN_TEMPLATE        # hi (rank 0)
/// </code>
/// Handlers run on the shell's loop, one at a time; one instance of the plugin serves one job.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.ShellPlugin, Description = "Sets PLUGIN_TEMPLATE in each task's environment")]
public sealed class PluginTemplatePlugin(IShell shell) : IFluxPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Conf is the conf table of plugin.load in initrc.lua (empty when loaded from the plugin path);
        // a bad value fails the job's start with this message.
        var value = plugin.Conf["value"] is JsonNode v
            ? v is JsonValue s && s.TryGetValue(out string? text) ? text : throw new FluxException(Errno.EINVAL, "plugin-template: value must be a string")
            : "plugin-template";
        plugin.Handle("task.init", (_, _) =>
        {
            // Before the task is spawned: its environment may still change.
            var task = shell.CurrentTask!;
            task.SetEnv("PLUGIN_TEMPLATE", $"{value} (rank {task.Rank})");
            return true;
        });
    }
}
