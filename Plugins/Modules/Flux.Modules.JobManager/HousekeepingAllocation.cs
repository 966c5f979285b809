// One job's resources in housekeeping: the ranks still to do, those released, and the runs per rank (housekeeping.c struct allocation).
using Flux.Formats;
using Flux.SystemScripts;

namespace Flux.Modules.JobManager;

internal sealed class HousekeepingAllocation(ulong id, uint userId, long priority, double tSubmit, Rv1 r)
{
    // R as the job held it, for the host names of ranks already released.
    private readonly Rv1 _all = r;

    public ulong Id => id;

    /// <summary>The job id as logs show it (F58).</summary>
    public string F58 { get; } = Fluid.Encode(id, FluidEncoding.F58);

    public uint UserId => userId;

    public long Priority => priority;

    public double TSubmit => tSubmit;

    /// <summary>R less what was already released to the scheduler.</summary>
    public Rv1 R { get; set; } = r;

    /// <summary>Ranks whose housekeeping has not finished.</summary>
    public HashSet<uint> Pending { get; } = [.. r.Ranks];

    /// <summary>Ranks released to the scheduler.</summary>
    public HashSet<uint> Free { get; } = [];

    public Dictionary<uint, ScriptRun> Runs { get; } = [];

    /// <summary>The release-after timer was started (the first rank finished) / has fired.</summary>
    public bool TimerArmed { get; set; }

    public bool TimerExpired { get; set; }

    public double TStart { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Whether it was given up (the instance unloads, or a scheduler hello could not take it back).</summary>
    public bool Abandoned { get; set; }

    public string HostOf(uint rank) => _all.Nodes.FirstOrDefault(n => n.Rank == rank)?.Hostname ?? "unknown";
}
