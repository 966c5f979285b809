// A job queue's two switches (RFC 33): enable/disable submission, start/stop scheduling.
using System.Text.Json.Nodes;

namespace Flux.Modules.JobManager;

internal sealed class QueueState(string name)
{
    /// <summary>The queue name; "" for the anonymous queue of an instance without [queues].</summary>
    public string Name { get; } = name;

    public bool Named => Name.Length > 0;

    public bool Enabled { get; set; } = true;

    public string? DisableReason { get; set; }

    /// <summary>
    /// Whether jobs of this queue get alloc requests. A named queue starts stopped (the admin guide's
    /// "Are my queues started?"): the administrator starts it once its resources are in place.
    /// </summary>
    public bool Started { get; set; } = name.Length == 0;

    /// <summary>Why the queue is stopped, or null (flux-core prints no reason then).</summary>
    public string? StopReason { get; set; }

    /// <summary>What a restart restores: a start or stop with --nocheckpoint changes <see cref="Started"/> only.</summary>
    public bool CheckpointStarted { get; set; } = name.Length == 0;

    public void Enable(bool enable, string? reason)
    {
        Enabled = enable;
        DisableReason = enable ? null : reason;
    }

    public void Start(bool start, string? reason, bool nocheckpoint)
    {
        Started = start;
        StopReason = start ? null : reason;
        if (!nocheckpoint)
        {
            CheckpointStarted = start;
        }
    }

    /// <summary>flux-core's checkpoint entry (version 1): the anonymous queue has no name; reasons only when they apply.</summary>
    public JsonObject ToCheckpoint()
    {
        var o = new JsonObject();
        if (Named)
        {
            o["name"] = Name;
        }
        o["enable"] = Enabled;
        o["start"] = CheckpointStarted;
        if (!Enabled)
        {
            o["disable_reason"] = DisableReason;
        }
        if (!CheckpointStarted && StopReason is not null)
        {
            o["stop_reason"] = StopReason;
        }
        return o;
    }

    /// <summary>Applies a checkpoint entry written by <see cref="ToCheckpoint"/> (or by flux-core).</summary>
    public void Restore(JsonObject entry)
    {
        Enable(entry["enable"]?.GetValue<bool>() ?? true, entry["disable_reason"]?.GetValue<string>() ?? entry["reason"]?.GetValue<string>());
        if (entry["start"]?.GetValue<bool>() is { } start)
        {
            Start(start, entry["stop_reason"]?.GetValue<string>(), nocheckpoint: false);
        }
    }
}
