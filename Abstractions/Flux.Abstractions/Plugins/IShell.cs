// What a job shell plugin may do to its job's shell (flux-core's flux_shell_* calls), injected by the shell.
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Plugins;

/// <summary>
/// The job shell as a shell plugin (<see cref="PluginKind.ShellPlugin"/>) sees it; one per job, asked
/// for by constructor injection (with <see cref="IFlux"/>, an <c>ILogger&lt;T&gt;</c> and
/// <see cref="FluxConfig"/>). A shell plugin instance lives for one job: the shell constructs it when
/// it loads it for that job and disposes it (if it is <see cref="IDisposable"/>) when the job ends.
/// Call it only from the plugin's handlers or from work started with <see cref="IFlux.Background"/>
/// (both run on the shell's loop). Errors are <see cref="FluxException"/>: EINVAL for a call not
/// allowed at this point (changing a task that has started, say).
/// </summary>
public interface IShell
{
    /// <summary>The shell's handle to the instance: a guest's access (its job's KVS namespace, its own service).</summary>
    IFlux Flux { get; }

    /// <summary>The job's id.</summary>
    ulong JobId { get; }

    /// <summary>This shell's rank among the job's shells (0 is the leader).</summary>
    int Rank { get; }

    /// <summary>How many shells the job has (one per node it runs on).</summary>
    int Size { get; }

    /// <summary>The job's total number of tasks.</summary>
    int NTasks { get; }

    /// <summary>The shell's service name, <c>USERID-shell-JOBID</c>.</summary>
    string Service { get; }

    /// <summary>The job's jobspec (RFC 25; read it, do not change it).</summary>
    JsonObject Jobspec { get; }

    /// <summary>The job's resource set R (RFC 20).</summary>
    JsonObject R { get; }

    /// <summary>
    /// flux_shell_get_info: <c>{jobid, instance_owner, rank, size, ntasks, service, options:{verbose,
    /// standalone}, jobspec, R}</c>, built on each call.
    /// </summary>
    JsonObject Info { get; }

    /// <summary>
    /// flux_shell_get_rank_info for a shell rank (-1: this shell): <c>{id, name, broker_rank, ntasks,
    /// taskids, resources:{ncores, cores, gpus}}</c>. EINVAL for a rank the job does not have.
    /// </summary>
    JsonObject RankInfo(int shellRank = -1);

    /// <summary>
    /// The shell options (<c>attributes.system.shell.options</c> of the jobspec, with the values
    /// <c>flux run -o NAME=VALUE</c> and <c>--setopt</c> gave, and any a plugin set). Read it; change
    /// it with <see cref="SetOption"/>.
    /// </summary>
    JsonObject Options { get; }

    /// <summary>The value of one top-level shell option (flux_shell_getopt), or null when it is not set.</summary>
    JsonNode? GetOption(string name);

    /// <summary>Sets a top-level shell option (flux_shell_setopt) for the plugins after this one; null removes it.</summary>
    void SetOption(string name, JsonNode? value);

    /// <summary>The job environment tasks start from (a copy taken at each task's <c>task.init</c>).</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>A variable of the job environment, or null.</summary>
    string? GetEnv(string name);

    /// <summary>Sets a variable of the job environment; with <paramref name="overwrite"/> false an existing value stays.</summary>
    void SetEnv(string name, string value, bool overwrite = true);

    /// <summary>Removes a variable from the job environment.</summary>
    void UnsetEnv(string name);

    /// <summary>
    /// The task the running handler is called for: set during <c>task.init</c>, <c>task.exec</c>,
    /// <c>task.fork</c> and <c>task.exit</c>, null otherwise (flux_shell_current_task).
    /// </summary>
    IShellTask? CurrentTask { get; }

    /// <summary>This shell's tasks created so far, in local order (flux_shell_task_first/next).</summary>
    IReadOnlyList<IShellTask> Tasks { get; }

    /// <summary>Logs a message at the info level (shell_log): it goes to the job's stderr (the output eventlog) and the broker log.</summary>
    void Log(string message);

    /// <summary>Logs a message at the debug level (shell_debug): shown with <c>-o verbose</c>.</summary>
    void Debug(string message);

    /// <summary>Logs an error (shell_log_error): shown on the job's stderr as an error.</summary>
    void LogError(string message);

    /// <summary>
    /// Ends the job (shell_die): logs <paramref name="message"/> as fatal, kills the tasks, and the
    /// shell exits with <paramref name="exitCode"/>, raising a fatal exception on the job whose note
    /// is the message. Returns; the shell stops at its next step.
    /// </summary>
    void Die(int exitCode, string message);

    /// <summary>Sends a signal to every task of this shell (flux_shell_killall).</summary>
    void KillAll(int signum);
}
