// RFC 21 job states, with flux-core's bit values.
namespace Flux.Modules.JobManager;

[Flags]
internal enum JobState
{
    New = 1,
    Depend = 2,
    Priority = 4,
    Sched = 8,
    Run = 16,
    Cleanup = 32,
    Inactive = 64,
    Pending = Depend | Priority | Sched,
    Running = Run | Cleanup,
    Active = Pending | Running,
}
