// What a job's tasks and shell wrote: the job's output eventlog (RFC 24) read back as text.
using Flux.Formats;

namespace Flux.Testing;

/// <summary>
/// A job's output as <c>flux job attach</c> would show it: the tasks' standard output and error (every
/// rank's, in the order written) and the shell's log messages (a plugin's <c>IShell.Log</c> and
/// <c>LogError</c>, the shell's own errors), with the output eventlog it was read from.
/// </summary>
/// <param name="Stdout">The tasks' standard output.</param>
/// <param name="Stderr">The tasks' standard error.</param>
/// <param name="Log">The shell's log messages, one a line.</param>
/// <param name="Events">The output eventlog's entries (header, data, log, redirect).</param>
public sealed record JobOutput(string Stdout, string Stderr, IReadOnlyList<string> Log, IReadOnlyList<EventlogEntry> Events);
