// A third-party C# job shell plugin: sets a variable in every task's environment before it starts.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace ShellEnvPlugin;

/// <summary>
/// <c>shell-env</c>: in task.init (before the task is spawned) sets <c>SHELL_ENV_PLUGIN</c> to its
/// conf's <c>value</c> (<c>plugin.load{file=..., conf={value="..."}}</c>), "hello" by default, followed
/// by the task's rank. Loaded for every job when its folder is on the shell plugin path
/// (FLUX_SHELL_PLUGIN_PATH or conf.shell_pluginpath).
/// </summary>
[FluxPlugin("shell-env", PluginKind.ShellPlugin, Description = "sets SHELL_ENV_PLUGIN in each task's environment")]
public sealed class ShellEnvPlugin(IShell shell) : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var value = plugin.Conf["value"]?.GetValue<string>() ?? "hello";
        plugin.Handle("task.init", (_, _) =>
        {
            var task = shell.CurrentTask!;
            task.SetEnv("SHELL_ENV_PLUGIN", $"{value} from rank {task.Rank}");
            return true;
        });
        plugin.Handle("shell.init", (_, _) =>
        {
            // A plugin that brings its process down: in a shell host only that host ends and the
            // job gets an exception; inside the broker it would end the instance (docs/shell-plugins.md).
            if (shell.GetEnv("SHELL_ENV_PLUGIN_EXIT") is { } code)
            {
                Environment.Exit(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture));
            }
            return true;
        });
    }
}
