// Job state and result names as flux-core's flux_job_statetostr() and flux_job_resulttostr() give them.
namespace Flux.Formats;

/// <summary>Names of <see cref="JobState"/> and <see cref="JobResult"/> values, long and short.</summary>
public static class JobStateNames
{
    /// <summary>The state's name (<c>SCHED</c>) or, with <paramref name="letter"/>, its letter (<c>S</c>); "(unknown)" or "?" for anything else.</summary>
    public static string Name(JobState state, bool letter = false) => state switch
    {
        JobState.New => letter ? "N" : "NEW",
        JobState.Depend => letter ? "D" : "DEPEND",
        JobState.Priority => letter ? "P" : "PRIORITY",
        JobState.Sched => letter ? "S" : "SCHED",
        JobState.Run => letter ? "R" : "RUN",
        JobState.Cleanup => letter ? "C" : "CLEANUP",
        JobState.Inactive => letter ? "I" : "INACTIVE",
        _ => letter ? "?" : "(unknown)",
    };

    /// <summary>The result's name (<c>COMPLETED</c>) or abbreviation (<c>CD</c>); "(unknown)" or "?" for anything else.</summary>
    public static string Name(JobResult result, bool abbrev = false) => result switch
    {
        JobResult.Completed => abbrev ? "CD" : "COMPLETED",
        JobResult.Failed => abbrev ? "F" : "FAILED",
        JobResult.Canceled => abbrev ? "CA" : "CANCELED",
        JobResult.Timeout => abbrev ? "TO" : "TIMEOUT",
        _ => abbrev ? "?" : "(unknown)",
    };

    /// <summary>Parses a state name in any case (<c>sched</c>, <c>SCHED</c>) or a set name (<c>pending</c>, <c>running</c>, <c>active</c>); false if unknown.</summary>
    public static bool TryParseState(string name, out JobState state)
    {
        ArgumentNullException.ThrowIfNull(name);
        state = name.ToUpperInvariant() switch
        {
            "NEW" => JobState.New,
            "DEPEND" => JobState.Depend,
            "PRIORITY" => JobState.Priority,
            "SCHED" => JobState.Sched,
            "RUN" => JobState.Run,
            "CLEANUP" => JobState.Cleanup,
            "INACTIVE" => JobState.Inactive,
            "PENDING" => JobState.Pending,
            "RUNNING" => JobState.Running,
            "ACTIVE" => JobState.Active,
            _ => JobState.None,
        };
        return state != JobState.None;
    }

    /// <summary>Parses a result name in any case (<c>completed</c>, <c>CANCELLED</c> too); false if unknown.</summary>
    public static bool TryParseResult(string name, out JobResult result)
    {
        ArgumentNullException.ThrowIfNull(name);
        result = name.ToUpperInvariant() switch
        {
            "COMPLETED" => JobResult.Completed,
            "FAILED" => JobResult.Failed,
            "CANCELED" or "CANCELLED" => JobResult.Canceled,
            "TIMEOUT" => JobResult.Timeout,
            _ => JobResult.None,
        };
        return result != JobResult.None;
    }
}
