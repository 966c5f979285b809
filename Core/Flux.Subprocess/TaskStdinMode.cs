// Where a task's standard input comes from (when it has no pty).
namespace Flux.Subprocess;

/// <summary>The source of a task's fd 0 when <see cref="TaskStartInfo.Pty"/> is off.</summary>
public enum TaskStdinMode
{
    /// <summary>/dev/null: reads see end of file at once.</summary>
    Null,

    /// <summary><see cref="TaskStartInfo.StdinPath"/>, opened read-only by the caller's process before the spawn.</summary>
    File,

    /// <summary>A socket whose other end is <see cref="TaskProcess.Stdin"/>: write to it, and shut it down (or dispose it) for end of file.</summary>
    Socket,
}
