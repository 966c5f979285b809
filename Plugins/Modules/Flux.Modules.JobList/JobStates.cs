// RFC 21 job state and result bits, with flux-core's names for them.
namespace Flux.Modules.JobList;

/// <summary>Job states as flux-core numbers them (bit values, RFC 21).</summary>
internal static class JobStates
{
    public const int New = 1;
    public const int Depend = 2;
    public const int Priority = 4;
    public const int Sched = 8;
    public const int Run = 16;
    public const int Cleanup = 32;
    public const int Inactive = 64;
    public const int Pending = Depend | Priority | Sched;
    public const int Running = Run | Cleanup;
    public const int Active = Pending | Running;
    public const int All = Active | Inactive;

    public const int Completed = 1;
    public const int Failed = 2;
    public const int Canceled = 4;
    public const int Timeout = 8;
    public const int AllResults = Completed | Failed | Canceled | Timeout;
}
