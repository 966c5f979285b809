// How far a FluxTestInstance's jobs go: wait for a scheduler, or run simulated.
namespace Flux.Testing;

/// <summary>What an instance started with <see cref="FluxTestOptions.Jobs"/> does with a job once it is accepted.</summary>
public enum TestExecution
{
    /// <summary>No scheduler and no execution service: a job goes through DEPEND and PRIORITY and waits in SCHED.</summary>
    None,

    /// <summary>
    /// The <c>resource</c> module (this machine's cores, or the configuration's <c>[resource]</c>),
    /// <c>sched-simple</c> and <c>job-exec</c> in test mode (<c>[exec.testexec] enable = true</c>): a job
    /// is allocated, "runs" with no process for its <c>system.exec.test.run_duration</c> attribute (else
    /// its duration, 0 by default), and goes through CLEANUP to INACTIVE: every jobtap topic of a job's life is called.
    /// </summary>
    Simulated,
}
