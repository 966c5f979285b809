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
}
