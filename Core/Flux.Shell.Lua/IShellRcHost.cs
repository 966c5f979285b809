// What the initrc engine needs from the job shell that runs it: the shell implements this, tests fake it.
using System.Text.Json.Nodes;

namespace Flux.Shell.Lua;

/// <summary>
/// The job shell as an initrc.lua script sees it (flux-shell-initrc(5)). Every member is called on the
/// thread that called into <see cref="ShellRc"/>; an exception from a member becomes a Lua error in the
/// script (with its file and line), never a crash of the shell.
/// </summary>
public interface IShellRcHost
{
    /// <summary><c>shell.info</c>: jobid (an integer), instance_owner, rank, size, ntasks, service, options, jobspec, R.</summary>
    JsonObject GetInfo();

    /// <summary><c>shell.rankinfo</c> (<paramref name="shellRank"/> -1: this shell) and <c>shell.get_rankinfo(n)</c>; throws for a rank not in the job.</summary>
    JsonObject GetRankInfo(int shellRank);

    /// <summary><c>shell.options.NAME</c>: the option's value, or null when it is not set.</summary>
    JsonNode? GetOption(string name);

    /// <summary>Assigning <c>shell.options.NAME</c>; a null value removes the option.</summary>
    void SetOption(string name, JsonNode? value);

    /// <summary><c>shell.verbose</c> and <c>-o verbose</c>: 0 quiet, 1 debug messages, 2 trace.</summary>
    int Verbose { get; set; }

    /// <summary>A variable of the job environment (the one every task starts from), or null.</summary>
    string? GetEnv(string name);

    /// <summary>The whole job environment (<c>shell.getenv()</c>).</summary>
    IReadOnlyDictionary<string, string> GetEnvironment();

    /// <summary>Sets a job environment variable; without <paramref name="overwrite"/> an existing value stays.</summary>
    void SetEnv(string name, string value, bool overwrite);

    /// <summary>Removes a job environment variable.</summary>
    void UnsetEnv(string name);

    /// <summary><c>plugin.searchpath</c>: colon-separated folders that relative <c>plugin.load</c> patterns are looked up in.</summary>
    string PluginSearchPath { get; set; }

    /// <summary>
    /// Loads one C# shell plugin file with its conf (<c>plugin.load</c>), or, given a bare name that matched no
    /// file (no '/'), the C# shell plugin of that [FluxPlugin] name; throws when the plugin cannot be found or
    /// loaded or its init fails.
    /// </summary>
    void LoadPlugin(string path, JsonObject conf);

    /// <summary>
    /// Adds a Lua plugin to the shell's plugin stack (<c>plugin.register</c>). A plugin whose name is taken
    /// replaces the old one and moves to the end of the call order, as a C# plugin of the same name would.
    /// </summary>
    void RegisterPlugin(string name, IReadOnlyList<ShellRcHandler> handlers);

    /// <summary>A message from a script (<c>shell.log</c>, <c>shell.debug</c>, <c>shell.log_error</c>) or from the engine; file is null when no script position applies.</summary>
    void Log(ShellRcLogLevel level, string? file, int line, string message);

    /// <summary><c>shell.die</c>: log FATAL, kill the tasks and raise a job exception. The engine then stops the script.</summary>
    void Die(string? file, int line, string message);

    /// <summary>Lua's <c>print</c>: one line of text (flux-core's shell writes it to its stdout).</summary>
    void Print(string text);

    /// <summary>The task whose <c>task.*</c> topic is being called, or null outside those callbacks.</summary>
    IShellRcTask? CurrentTask { get; }
}
