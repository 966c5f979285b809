// Everything a task process is started with; nothing is inherited from the broker implicitly.
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

/// <summary>What <see cref="TaskProcess.Start"/> runs, and how.</summary>
public sealed class TaskStartInfo
{
    /// <summary>
    /// argv. The program is <c>Arguments[0]</c>: used as a path when it contains '/' (relative to
    /// <see cref="WorkingDirectory"/>), otherwise searched in the PATH of <see cref="Environment"/>
    /// (or "/bin:/usr/bin" without one) as execvp does, never in the broker's PATH.
    /// </summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The task's whole environment, "NAME=value" entries passed verbatim, in order.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>The task's working directory; null keeps the broker's. A relative path is taken from the broker's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where fd 0 comes from; must stay <see cref="TaskStdinMode.Null"/> when <see cref="Pty"/> is on.</summary>
    public TaskStdinMode Stdin { get; init; } = TaskStdinMode.Null;

    /// <summary>The file for <see cref="TaskStdinMode.File"/>; a relative path is taken from <see cref="WorkingDirectory"/>.</summary>
    public string? StdinPath { get; init; }

    /// <summary>
    /// Run the task in a new session on a new pseudo-terminal, which becomes its controlling
    /// terminal and its fd 0, 1 and 2 (see <see cref="TaskProcess.Pty"/>), as flux-shell's pty option does.
    /// </summary>
    public bool Pty { get; init; }

    /// <summary>The pty's initial window height in rows.</summary>
    public int PtyRows { get; init; } = 24;

    /// <summary>The pty's initial window width in columns.</summary>
    public int PtyColumns { get; init; } = 80;

    /// <summary>
    /// Descriptors the task inherits: entry i becomes fd 3+i in the task (for example a PMI
    /// socket advertised as PMI_FD). Every other descriptor above 2 is closed in the task. The
    /// handles stay owned by the caller.
    /// </summary>
    public IReadOnlyList<SafeHandle> ExtraFiles { get; init; } = [];

    /// <summary>
    /// Stop the task on the first instruction of its program (flux-shell's <c>-o stop-tasks-in-exec</c>):
    /// <see cref="TaskProcess.Start"/> returns once the task has executed its argv and is stopped by
    /// SIGSTOP, detached, for a debugger to attach; SIGCONT lets it run. See <see cref="ExecStop"/>: the
    /// task is executed through <c>/bin/sh</c>'s exec, and it takes one descriptor more (at most 6 extra files).
    /// </summary>
    public bool StopInExec { get; init; }

    /// <summary>
    /// The logical CPUs the task may run on (its affinity from the first instruction), or null to
    /// inherit the caller's. The spawning thread takes this affinity just for the spawn (the child
    /// inherits it) and gets its own back, so nothing else of the caller is bound.
    /// </summary>
    public IReadOnlyList<int>? Cpus { get; init; }
}
