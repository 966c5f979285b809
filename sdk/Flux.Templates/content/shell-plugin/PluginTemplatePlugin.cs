// The plugin-template job shell plugin: sets PLUGIN_TEMPLATE in each task's environment before the task starts.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace PluginTemplate;

/// <summary>
/// Every job's shell loads it when its folder is on the shell plugin path; the value comes from the
/// job's shell option (<c>-o plugin-template=VALUE</c>), else "plugin-template":
/// <code>
/// export FLUX_SHELL_PLUGIN_PATH=~/.local/share/flux/plugins/PluginTemplate/1.0.0
/// flux run -n2 --label-io -o plugin-template=hi printenv PLUGIN_TEMPLATE    # 0: hi (rank 0) ...
/// </code>
/// Or from initrc.lua: <c>plugin.load { file = "PATH/PluginTemplate.dll" }</c>. Handlers run on the
/// shell's loop, one at a time; one shell plugin instance serves one job.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.ShellPlugin, Description = "Sets PLUGIN_TEMPLATE in each task's environment")]
public sealed class PluginTemplatePlugin(IShell shell) : IFluxPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("task.init", (_, args) =>
        {
            // Before the task is spawned: the task's environment may still change.
            var task = shell.CurrentTask!;
            var value = shell.GetOption("plugin-template")?.ToString() ?? "plugin-template";
            task.SetEnv("PLUGIN_TEMPLATE", $"{value} (rank {task.Rank})");
            return true;
        });
    }
}
