// [job-manager.housekeeping]: the command (or the system scripts) and release-after (housekeeping.c).
using Flux.Abstractions;
using Flux.Formats;
using Flux.SystemScripts;

namespace Flux.Modules.JobManager;

/// <summary>
/// Housekeeping as configured; absent table, no housekeeping. <see cref="ReleaseAfter"/> is -1 when
/// unset (a job's resources go back together once every rank is done), 0 to release each rank as it
/// finishes, else seconds after the first rank finished, then each rank as it finishes.
/// </summary>
internal sealed record HousekeepingConfig(ScriptCommand Command, double ReleaseAfter)
{
    private const string Table = "job-manager.housekeeping";

    /// <summary>The configuration, null when not configured; unknown or ill-typed keys are refused.</summary>
    public static HousekeepingConfig? Read(FluxConfig config)
    {
        if (config.Get(Table) is not { } t)
        {
            return null;
        }
        if (config.GetTable(Table) is null)
        {
            throw config.Error(Table, "expected a table", t);
        }
        // flux-core's use-systemd-unit is deprecated and ignored there: refused here, since nothing acts on it.
        config.CheckKeys(Table, "command", "release-after", "exit-on-first-error");
        var command = ScriptCommand.FromConfig(config, Table, "housekeeping", SystemScriptLocations.FromEnvironment());
        var releaseAfter = config.Get(Table + ".release-after") is null ? -1 : config.GetDuration(Table + ".release-after", 0);
        return new HousekeepingConfig(command, releaseAfter);
    }
}
