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

    /// <summary>
    /// The same modules, <c>job-exec</c> running each job's shell in process (<c>[exec] shell-host =
    /// "broker"</c>): the shell runs its plugins (the builtins, and those the test loads with
    /// <see cref="FluxTestInstance.LoadShellPluginAsync{TPlugin}"/>) and starts the job's tasks as real
    /// processes of this machine (<c>true</c>, <c>printenv</c> ...), their output kept in the job's output
    /// eventlog (<see cref="FluxTestInstance.OutputAsync"/>).
    /// </summary>
    Real,
}
