// A job queue's two switches (RFC 33): enable/disable submission, start/stop scheduling.
using System.Text.Json.Nodes;

namespace Flux.Modules.JobManager;

internal sealed class QueueState(string name)
{
    /// <summary>The queue name; "" for the anonymous queue of an instance without [queues].</summary>
    public string Name { get; } = name;

    public bool Enabled { get; set; } = true;

    public string? DisableReason { get; set; }

    public bool Started { get; set; } = true;

    public string? StopReason { get; set; }

    public JsonObject ToCheckpoint() => new()
    {
        ["name"] = Name,
        ["enable"] = Enabled,
        ["disable_reason"] = DisableReason,
        ["start"] = Started,
        ["stop_reason"] = StopReason,
    };
}
