// The flags of job-ingest.submit and job-manager.submit, as flux-core's job.h numbers them.
namespace Flux.Formats;

/// <summary>
/// Submission flags (flux-core's <c>FLUX_JOB_*</c>). <see cref="PreSigned"/> is a client-side flag and
/// never crosses the wire; job-ingest accepts only <see cref="Wire"/>, and only the instance owner may
/// set <see cref="Waitable"/> or <see cref="NoValidate"/> (as flux-core's job-ingest rules).
/// </summary>
[Flags]
public enum SubmitFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The jobspec is already signed (client side only).</summary>
    PreSigned = 1,

    /// <summary>The job manager logs the job's progress.</summary>
    Debug = 2,

    /// <summary>The job can be waited for with <c>flux job wait</c> (owner only).</summary>
    Waitable = 4,

    /// <summary>Validators are skipped (owner only).</summary>
    NoValidate = 8,

    /// <summary>The flags a submit request may carry.</summary>
    Wire = Debug | Waitable | NoValidate,

    /// <summary>The flags only the instance owner may set.</summary>
    OwnerOnly = Waitable | NoValidate,
}
