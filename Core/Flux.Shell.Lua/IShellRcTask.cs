// The task an initrc's task.* handler sees through the `task` table (flux-shell-initrc(5)).
using System.Text.Json.Nodes;

namespace Flux.Shell.Lua;

/// <summary>The current task during a <c>task.*</c> callback.</summary>
public interface IShellRcTask
{
    /// <summary><c>task.info</c>: localid, rank, state ("Init", "Exec", "Running", "Exited"), pid after fork, wait_status, exitcode and signaled at exit.</summary>
    JsonObject GetInfo();

    /// <summary>A variable of this task's environment, or null.</summary>
    string? GetEnv(string name);

    /// <summary>Sets a variable of this task's environment; without <paramref name="overwrite"/> an existing value stays.</summary>
    void SetEnv(string name, string value, bool overwrite);

    /// <summary>Removes a variable from this task's environment.</summary>
    void UnsetEnv(string name);
}
