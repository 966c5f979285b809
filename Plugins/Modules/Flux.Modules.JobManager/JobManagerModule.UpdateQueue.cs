// .update-queue: the builtin plugin of job-manager's queues (flux-core's queue.c) allowing `flux update JOBID queue=NAME`.
using System.Text.Json.Nodes;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private const string UpdateQueueName = ".update-queue";

    /// <summary>
    /// Registers <c>.update-queue</c> as flux-core's queue code does: a builtin that lives in
    /// job-manager (it needs the queues' state), listed by <c>flux jobtap list -a</c>, never removed.
    /// </summary>
    private void LoadUpdateQueueBuiltin()
    {
        var p = new JobtapPlugin(this, flux, UpdateQueueName, [], log);
        p.Handle("job.update.attributes.system.queue", OnQueueUpdate);
        _plugins.Add(p);
        _topicHandlers.Clear();
        JobtapLog.Loaded(log, p.Name, "builtin");
    }

    /// <summary>
    /// A pending job may move to another enabled queue when its constraints are exactly its current
    /// queue's <c>requires</c> (they are replaced by the new queue's); the update asks for a
    /// feasibility check, and <c>job.validate</c> checks the new queue's limits.
    /// </summary>
    private bool OnQueueUpdate(string topic, PluginArgs args)
    {
        var job = _currentJob!;
        if (args.In["value"] is not JsonValue v || !v.TryGetValue(out string? name))
        {
            return args.Error("plugin args unpack failed");
        }
        if (job.State is JobState.Run or JobState.Cleanup)
        {
            return args.Error("update of queue for running job not supported");
        }
        if (job.Queue == name)
        {
            return args.Error($"job queue is already set to {name}");
        }
        QueueState target;
        try
        {
            target = LookupQueue(name);
            LookupQueue(job.Queue);
        }
        catch (Abstractions.FluxException ex)
        {
            return args.Error(ex.Message);
        }
        if (!target.Enabled)
        {
            return args.Error($"queue {name} is currently disabled");
        }
        var constraints = args.In["jobspec"]?["attributes"]?["system"]?["constraints"];
        if (!SameConstraints(constraints, QueueConstraints(job.Queue)))
        {
            return args.Error($"job appears to have non-queue constraints, unable to update queue to {name}");
        }
        args.Out["feasibility"] = 1;
        args.Out["updates"] = new JsonObject { ["attributes.system.constraints"] = QueueConstraints(name) ?? new JsonObject() };
        return true;
    }

    /// <summary>The constraints a queue's <c>requires</c> gives its jobs (<c>{properties: [...]}</c>), or null.</summary>
    private JsonObject? QueueConstraints(string? queue) =>
        queue is not null && flux.Config.GetArray($"queues.{queue}.requires") is { Count: > 0 } requires
            ? new JsonObject { ["properties"] = requires.DeepClone() }
            : null;

    // Both empty (or absent), or equal JSON.
    private static bool SameConstraints(JsonNode? a, JsonNode? b) =>
        (a is null or JsonObject { Count: 0 } && b is null or JsonObject { Count: 0 }) || JsonNode.DeepEquals(a, b);

    /// <summary>
    /// A jobspec-update moved a job to another queue: its counts follow it, and an alloc request
    /// pending for it is withdrawn if the new queue is stopped.
    /// </summary>
    private void QueueChanged(Job job, string? from)
    {
        var (active, running) = ((job.State & JobState.Active) != 0 ? 1 : 0, (job.State & JobState.Running) != 0 ? 1 : 0);
        if (from is not null)
        {
            var c = _queueCounts.GetValueOrDefault(from);
            _queueCounts[from] = (c.Active - active, c.Running - running);
        }
        if (job.Queue is { } to)
        {
            var c = _queueCounts.GetValueOrDefault(to);
            _queueCounts[to] = (c.Active + active, c.Running + running);
        }
        if (job.AllocPending && !QueueStarted(job.Queue))
        {
            CancelAlloc(job);
        }
        CheckIdle();
    }
}
