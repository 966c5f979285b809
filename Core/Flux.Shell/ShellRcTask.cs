// The task an initrc's task.* handlers see (IShellRcTask): its environment before it starts, its state after.
using System.Text.Json.Nodes;
using Flux.Shell.Lua;

namespace Flux.Shell;

/// <summary>
/// One task as Lua's <c>task</c> table shows it. The environment is the one the task will be started with:
/// task.init and task.exec run before the spawn (in .NET there is no fork to run code between), so what
/// their handlers set reaches the program.
/// </summary>
internal sealed class ShellRcTask(int rank, Dictionary<string, string> environment) : IShellRcTask
{
    public Dictionary<string, string> Environment => environment;

    /// <summary>flux-core's task states in order: Init, Exec, Running, Exited.</summary>
    public string State { get; set; } = "Init";

    public int Pid { get; set; }

    public int? WaitStatus { get; set; }

    public JsonObject GetInfo()
    {
        var info = new JsonObject { ["localid"] = rank, ["rank"] = rank, ["state"] = State };
        if (Pid != 0)
        {
            info["pid"] = Pid;
        }
        if (WaitStatus is int status)
        {
            var signal = status & 0x7f;
            info["wait_status"] = status;
            // As flux-core's task.c: 128+N for a task killed by signal N, and signaled always present.
            info["exitcode"] = signal != 0 ? 128 + signal : (status >> 8) & 0xff;
            info["signaled"] = signal;
        }
        return info;
    }

    public string? GetEnv(string name) => environment.GetValueOrDefault(name);

    public void SetEnv(string name, string value, bool overwrite)
    {
        if (overwrite || !environment.ContainsKey(name))
        {
            environment[name] = value;
        }
    }

    public void UnsetEnv(string name) => environment.Remove(name);
}
