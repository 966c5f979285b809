// One task of a job as a shell plugin sees it (flux_shell_task_t): identity, state, and what may change before it starts.
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Plugins;

/// <summary>
/// A task of the job shell (<see cref="IShell.CurrentTask"/>, <see cref="IShell.Tasks"/>). In .NET the
/// task is spawned after <c>task.exec</c>, not in a forked child as in flux-core: so in
/// <c>task.init</c> and in <c>task.exec</c> a plugin may still change the task's environment,
/// working directory, command line and CPU set, and the task starts with them. From
/// <c>task.fork</c> on it has started and they are read-only (setting one throws a
/// <see cref="FluxException"/> EINVAL).
/// </summary>
public interface IShellTask
{
    /// <summary>The task's global rank (FLUX_TASK_RANK).</summary>
    int Rank { get; }

    /// <summary>The task's index among this shell's tasks (FLUX_TASK_LOCAL_ID).</summary>
    int LocalId { get; }

    /// <summary>Whether the task has been started (from <c>task.fork</c> on; also when it failed to start).</summary>
    bool Started { get; }

    /// <summary>Its process id (also its process group), 0 before it starts or when it failed to start.</summary>
    int Pid { get; }

    /// <summary>Its wait status once it has exited (<c>task.exit</c>), null before.</summary>
    int? WaitStatus { get; }

    /// <summary>Its exit code once it has exited (128+N for signal N), null before.</summary>
    int? ExitCode { get; }

    /// <summary>
    /// flux_shell_task_info_unpack: <c>{localid, rank, state ("Init", "Running", "Exited"), pid,
    /// wait_status, exitcode, signaled}</c>, built on each call.
    /// </summary>
    JsonObject Info { get; }

    /// <summary>The command line (argv[0] is the program); settable until the task starts.</summary>
    IReadOnlyList<string> Argv { get; set; }

    /// <summary>The working directory; settable until the task starts.</summary>
    string Cwd { get; set; }

    /// <summary>
    /// The logical CPUs the task is bound to (sched_setaffinity before it runs), or null to inherit
    /// the shell's; settable until the task starts.
    /// </summary>
    IReadOnlyList<int>? Cpus { get; set; }

    /// <summary>The task's environment: the job environment at <c>task.init</c> plus the FLUX_* task variables.</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>A variable of the task's environment, or null.</summary>
    string? GetEnv(string name);

    /// <summary>Sets a variable of the task's environment (until it starts); with <paramref name="overwrite"/> false an existing value stays.</summary>
    void SetEnv(string name, string value, bool overwrite = true);

    /// <summary>Removes a variable from the task's environment (until it starts).</summary>
    void UnsetEnv(string name);

    /// <summary>Sends a signal to the task's process group; nothing once it has exited or when it never started.</summary>
    void Kill(int signum);
}
