// The sample jobtap plugin's conf: `conf = { max = 2 }` in [job-manager] plugins, or `flux jobtap load ... max=2`.
namespace ActiveJobLimit;

public sealed class ActiveJobLimitSettings
{
    /// <summary>Active jobs allowed per user; unlimited when not given.</summary>
    public int Max { get; set; } = int.MaxValue;
}
