// RFC 21 job results, with the bit values flux-core gives them on the wire (job-list's result).
namespace Flux.Formats;

/// <summary>How an inactive job ended, one bit each as flux-core numbers them, so a set is a bitwise OR.</summary>
[Flags]
public enum JobResult
{
    /// <summary>No result (the job is still active).</summary>
    None = 0,

    /// <summary>Every task exited 0.</summary>
    Completed = 1,

    /// <summary>A task failed or a fatal exception other than cancel or timeout was raised.</summary>
    Failed = 2,

    /// <summary>Canceled (a fatal exception of type "cancel").</summary>
    Canceled = 4,

    /// <summary>Ran out of time (a fatal exception of type "timeout").</summary>
    Timeout = 8,
}
