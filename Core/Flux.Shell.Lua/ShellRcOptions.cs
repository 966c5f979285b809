// Limits and extra modules for one initrc engine.
namespace Flux.Shell.Lua;

/// <summary>Settings of a <see cref="ShellRc"/>.</summary>
public sealed class ShellRcOptions
{
    /// <summary>
    /// How long one entry into Lua (running the rc file with all it sources, or one handler call) may take.
    /// A script past it stops with "FILE:LINE: ... time limit" instead of hanging the shell.
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most memory the Lua state may hold, so that a script cannot exhaust the node.</summary>
    public long MemoryLimit { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Pure Lua modules that <c>require</c> may load, by name, as source text (never bytecode). "flux.shell"
    /// is always there; nothing else is: no C modules, no files from a package path.
    /// </summary>
    public IReadOnlyDictionary<string, string> Modules { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The folder relative file names in <c>source</c>, <c>source_if_exists</c> and <c>plugin.load</c> are taken
    /// from: flux-core's shell has chdir'ed into the job's cwd before it runs the initrc, but a shell running in
    /// the broker or in a shell host serving many jobs cannot. Null: the process's own working directory.
    /// </summary>
    public string? WorkingDirectory { get; init; }
}
