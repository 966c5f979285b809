// A job waiting for resources: its RFC 27 sched.alloc request, and the queue order (priority descending, then id ascending).
using Flux.Abstractions;

namespace Flux.Modules.SchedSimple;

/// <summary>An alloc request not yet answered with SUCCESS, DENY or CANCEL.</summary>
internal sealed class PendingJob(ulong id, uint priority, uint userId, double tSubmit, Message request, ResourceRequest resources)
{
    /// <summary>Queue order: higher priority first, then the older (smaller) job id.</summary>
    public static IComparer<PendingJob> Order { get; } = Comparer<PendingJob>.Create((a, b) =>
    {
        var byPriority = b.Priority.CompareTo(a.Priority);
        return byPriority != 0 ? byPriority : a.Id.CompareTo(b.Id);
    });

    public ulong Id { get; } = id;

    public uint Priority { get; set; } = priority;

    public uint UserId { get; } = userId;

    public double TSubmit { get; } = tSubmit;

    /// <summary>The sched.alloc request, answered on its stream.</summary>
    public Message Request { get; } = request;

    public ResourceRequest Resources { get; } = resources;

    /// <summary>Whether reason_pending has been annotated (and must be cleared on success).</summary>
    public bool ReasonAnnotated { get; set; }
}
