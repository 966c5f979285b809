// One file found among the system scripts: its name, path, and whether it is executable (only those run).
namespace Flux.SystemScripts;

/// <summary>A script file; <paramref name="Executable"/> is any execute bit, as flux-run-system-scripts' <c>test -x</c> sees it for the owner.</summary>
public sealed record SystemScript(string Name, string Path, bool Executable);
