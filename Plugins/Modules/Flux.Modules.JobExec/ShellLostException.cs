// The job shell's process died under a running job: the note of the job's exception is its message.
using Flux.Abstractions;

namespace Flux.Modules.JobExec;

internal sealed class ShellLostException(string message) : FluxException(Errno.ECONNRESET, message);
