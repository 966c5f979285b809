// exit-on-error: the first task that fails ends the job at once, as flux-core's shell does.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// <c>-o exit-on-error</c>: when a task exits with a non-zero code (or by a signal), the shell dies:
/// the other tasks are killed and the job gets a fatal exception naming the task.
/// </summary>
[FluxPlugin("exit-on-error", PluginKind.ShellPlugin, Description = "ends the job when a task fails (-o exit-on-error)")]
public sealed class ExitOnError(IShell shell) : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("task.exit", (_, _) =>
        {
            if (ShellOption.IsTrue(shell.GetOption("exit-on-error")) && shell.CurrentTask is { ExitCode: > 0 } task)
            {
                shell.Die(task.ExitCode.Value, $"exit-on-error: task {task.Rank} exited with exit code {task.ExitCode}");
            }
            return true;
        });
    }
}
