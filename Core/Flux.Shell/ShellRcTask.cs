// The task an initrc's task.* handlers see (IShellRcTask): the shell's plugin task, as flux-core's task.info shows it.
using System.Text.Json.Nodes;
using Flux.Shell.Lua;

namespace Flux.Shell;

/// <summary>
/// One task as Lua's <c>task</c> table shows it, over the <see cref="PluginTask"/> C# plugins see. task.init and
/// task.exec run before the spawn (in .NET there is no fork to run code between), so what their handlers set with
/// <c>task.setenv</c> is the environment the task starts with.
/// </summary>
internal sealed class ShellRcTask(PluginTask task, bool inExec) : IShellRcTask
{
    /// <summary>flux-core's task.c fields: state Init/Exec/Running/Exited, pid after fork, the status fields at exit.</summary>
    public JsonObject GetInfo()
    {
        var info = task.Info;
        if (!task.Started)
        {
            info["state"] = inExec ? "Exec" : "Init";
            info.Remove("pid");
        }
        if (task.ExitCode is null)
        {
            info.Remove("wait_status");
            info.Remove("exitcode");
            info.Remove("signaled");
        }
        return info;
    }

    public string? GetEnv(string name) => task.GetEnv(name);

    public void SetEnv(string name, string value, bool overwrite) => task.SetEnv(name, value, overwrite);

    public void UnsetEnv(string name) => task.UnsetEnv(name);
}
