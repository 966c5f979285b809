// A job shell plugin as a plugin author writes one, for the tests: sets a variable in each task's environment, logs, or fails.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Testing.Tests;

/// <summary>Sets conf <c>name</c> (default GREETING) to conf <c>value</c> plus the task's rank in each task's environment, and logs once per job.</summary>
[FluxPlugin("greeter", PluginKind.ShellPlugin)]
public sealed class GreeterShellPlugin(IShell shell) : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        var name = plugin.Conf["name"]?.GetValue<string>() ?? "GREETING";
        var value = plugin.Conf["value"]?.GetValue<string>() ?? "hello";
        if (plugin.Conf["fail"]?.GetValue<string>() is { } why)
        {
            throw new FluxException(Errno.EINVAL, "greeter: " + why);
        }
        plugin.Handle("shell.init", (_, _) =>
        {
            shell.Log($"greeter sets {name}");
            return true;
        });
        plugin.Handle("task.init", (_, _) =>
        {
            var task = shell.CurrentTask!;
            task.SetEnv(name, $"{value} {task.Rank}");
            return true;
        });
    }
}
