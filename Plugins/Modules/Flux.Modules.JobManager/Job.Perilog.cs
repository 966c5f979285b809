// What the job manager keeps per job for prologs and epilogs (flux-core's job->perilog_active).
namespace Flux.Modules.JobManager;

internal sealed partial class Job
{
    /// <summary>
    /// Prologs or epilogs started and not yet finished: while any is, a job in RUN gets no start
    /// request and a job in CLEANUP keeps its resources (event.c).
    /// </summary>
    public int PerilogActive { get; set; }
}
