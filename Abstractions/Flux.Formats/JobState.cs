// RFC 21 job states, with the bit values flux-core gives them on the wire (job-manager, job-list).
namespace Flux.Formats;

/// <summary>
/// The states of RFC 21's job state machine. Each is one bit, as flux-core numbers them in every
/// protocol that carries a state (job-list's <c>state</c>, <c>states</c> filters, the journal), so a
/// set of states is a bitwise OR.
/// </summary>
[Flags]
public enum JobState
{
    /// <summary>No state (used as "none" in filters).</summary>
    None = 0,

    /// <summary>Submitted, not yet validated by the job manager.</summary>
    New = 1,

    /// <summary>Waiting for dependencies.</summary>
    Depend = 2,

    /// <summary>Waiting for a priority.</summary>
    Priority = 4,

    /// <summary>Waiting for resources.</summary>
    Sched = 8,

    /// <summary>Resources allocated; running.</summary>
    Run = 16,

    /// <summary>Finished or aborted; releasing resources.</summary>
    Cleanup = 32,

    /// <summary>Done; the eventlog is complete.</summary>
    Inactive = 64,

    /// <summary>DEPEND, PRIORITY or SCHED.</summary>
    Pending = Depend | Priority | Sched,

    /// <summary>RUN or CLEANUP.</summary>
    Running = Run | Cleanup,

    /// <summary>Any state but INACTIVE.</summary>
    Active = Pending | Running,
}
