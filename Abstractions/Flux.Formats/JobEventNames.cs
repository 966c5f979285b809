// The names of the job eventlog events of RFC 21, written by job-ingest and job-manager and read by job-list.
namespace Flux.Formats;

/// <summary>
/// Event names of a job's main eventlog (RFC 21, "Job Events"), spelled once for every module that
/// writes or matches them. Each event's context is the one RFC 21 gives it.
/// </summary>
public static class JobEventNames
{
    /// <summary>The job was submitted (context: userid, urgency, flags, version); always the first event. Enters NEW.</summary>
    public const string Submit = "submit";

    /// <summary>The job manager accepted the job. NEW to DEPEND.</summary>
    public const string Validate = "validate";

    /// <summary>The job was rejected after submission. NEW to INACTIVE.</summary>
    public const string Invalidate = "invalidate";

    /// <summary>Every dependency is satisfied. DEPEND to PRIORITY.</summary>
    public const string Depend = "depend";

    /// <summary>The job's priority was set (context: priority). PRIORITY to SCHED, or a new priority in SCHED.</summary>
    public const string Priority = "priority";

    /// <summary>The job's urgency changed (context: userid, urgency). SCHED goes back to PRIORITY.</summary>
    public const string Urgency = "urgency";

    /// <summary>The instance restarted while the job was pending. SCHED goes back to PRIORITY.</summary>
    public const string FluxRestart = "flux-restart";

    /// <summary>The scheduler allocated resources (context: annotations). SCHED to RUN.</summary>
    public const string Alloc = "alloc";

    /// <summary>The execution system started every job shell.</summary>
    public const string Start = "start";

    /// <summary>The execution system released resources of some or all ranks (context: ranks, final).</summary>
    public const string Release = "release";

    /// <summary>The job's tasks exited (context: status, the highest wait status). RUN to CLEANUP.</summary>
    public const string Finish = "finish";

    /// <summary>The resources went back to the scheduler.</summary>
    public const string Free = "free";

    /// <summary>Cleanup is complete. CLEANUP to INACTIVE; always the last event.</summary>
    public const string Clean = "clean";

    /// <summary>An exception was raised (context: type, severity, note, userid); severity 0 is fatal and leads to CLEANUP.</summary>
    public const string Exception = "exception";

    /// <summary>A user memo was set on the job (context: the memo's keys and values).</summary>
    public const string Memo = "memo";

    /// <summary>A dependency was added (context: description).</summary>
    public const string DependencyAdd = "dependency-add";

    /// <summary>A dependency was removed (context: description).</summary>
    public const string DependencyRemove = "dependency-remove";

    /// <summary>Job flags changed (context: flags, for example <c>["waitable"]</c>).</summary>
    public const string SetFlags = "set-flags";

    /// <summary>Jobspec attributes were updated (context: the updated keys and values).</summary>
    public const string JobspecUpdate = "jobspec-update";

    /// <summary>R was updated (context: the updated keys, for example expiration).</summary>
    public const string ResourceUpdate = "resource-update";

    /// <summary>
    /// Scheduler annotations changed (context: annotations). Not written to the eventlog: flux-core's
    /// job manager sends it to journal consumers only.
    /// </summary>
    public const string Annotations = "annotations";
}
