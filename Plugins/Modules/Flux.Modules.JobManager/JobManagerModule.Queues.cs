// Queue control as in the admin guide: enable/disable (submission), start/stop (scheduling),
// status, drain (wait for no active jobs) and idle (wait for no running jobs).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private readonly List<(Message Request, bool Drain, string? Queue)> _idleWaiters = [];

    private static IReadOnlyList<string> QueueNames(FluxConfig config)
    {
        var table = config.GetTable("queues");
        return table is null ? [] : [.. table.Select(kv => kv.Key).Order(StringComparer.Ordinal)];
    }

    private void ConfigureQueues(FluxConfig config)
    {
        var names = QueueNames(config);
        if (names.Count == 0)
        {
            names = [string.Empty];
        }
        foreach (var n in names.Where(n => !_queues.ContainsKey(n)))
        {
            _queues[n] = new QueueState(n);
        }
        foreach (var stale in _queues.Keys.Where(k => !names.Contains(k)).ToList())
        {
            _queues.Remove(stale);
        }
    }

    /// <summary>The queue a job belongs to ("" when queues are not configured).</summary>
    private QueueState? QueueOf(string? name)
    {
        if (_queues.TryGetValue(name ?? string.Empty, out var q))
        {
            return q;
        }
        // Without [queues], every job (named queue or not) is in the anonymous queue.
        return _queues.Count == 1 && _queues.TryGetValue(string.Empty, out var anon) ? anon : null;
    }

    private bool QueueStarted(string? name) => QueueOf(name)?.Started ?? false;

    private List<QueueState> SelectQueues(JsonObject req)
    {
        var name = req["name"]?.GetValue<string>();
        var all = req["all"]?.GetValue<bool>() ?? false;
        var named = _queues.Count > 1 || !_queues.ContainsKey(string.Empty);
        if (name is null)
        {
            if (named && !all)
            {
                throw new FluxException(Errno.EINVAL, $"queues are configured ({string.Join(", ", _queues.Keys)}): name one or use --all");
            }
            return [.. _queues.Values];
        }
        return _queues.TryGetValue(name, out var q) ? [q] : throw new FluxException(Errno.EINVAL, $"'{name}' is not a valid queue");
    }

    private async ValueTask OnQueueEnable(Message msg)
    {
        var req = msg.GetJson();
        var enable = req["enable"]?.GetValue<bool>() ?? throw new FluxException(Errno.EPROTO, "missing enable");
        foreach (var q in SelectQueues(req))
        {
            q.Enabled = enable;
            q.DisableReason = enable ? null : req["reason"]?.GetValue<string>() ?? "disabled by administrator";
        }
        if (!(req["nocheckpoint"]?.GetValue<bool>() ?? false))
        {
            await CheckpointAsync().ConfigureAwait(true);
        }
        flux.Respond(msg);
    }

    private async ValueTask OnQueueStart(Message msg)
    {
        var req = msg.GetJson();
        var start = req["start"]?.GetValue<bool>() ?? throw new FluxException(Errno.EPROTO, "missing start");
        foreach (var q in SelectQueues(req))
        {
            q.Started = start;
            q.StopReason = start ? null : req["reason"]?.GetValue<string>() ?? "stopped by administrator";
        }
        if (!(req["nocheckpoint"]?.GetValue<bool>() ?? false))
        {
            await CheckpointAsync().ConfigureAwait(true);
        }
        flux.Respond(msg);
        TryAlloc();
    }

    private ValueTask OnQueueStatus(Message msg)
    {
        var req = msg.GetJsonOrNull() ?? [];
        var name = req["name"]?.GetValue<string>();
        var list = new JsonArray();
        foreach (var q in _queues.Values.Where(q => name is null || q.Name == name).OrderBy(q => q.Name, StringComparer.Ordinal))
        {
            list.Add(new JsonObject
            {
                ["name"] = q.Name,
                ["enable"] = q.Enabled,
                ["disable_reason"] = q.DisableReason,
                ["start"] = q.Started,
                ["stop_reason"] = q.StopReason,
                ["active"] = _jobs.Values.Count(j => (j.State & JobState.Active) != 0 && QueueOf(j.Queue) == q),
                ["running"] = _jobs.Values.Count(j => (j.State & JobState.Running) != 0 && QueueOf(j.Queue) == q),
            });
        }
        if (name is not null && list.Count == 0)
        {
            throw new FluxException(Errno.EINVAL, $"'{name}' is not a valid queue");
        }
        flux.Respond(msg, new JsonObject { ["queues"] = list });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnQueueDrain(Message msg) => WaitIdle(msg, drain: true);

    private ValueTask OnQueueIdle(Message msg) => WaitIdle(msg, drain: false);

    private ValueTask WaitIdle(Message msg, bool drain)
    {
        var name = msg.GetJsonOrNull()?["name"]?.GetValue<string>();
        if (name is not null && !_queues.ContainsKey(name))
        {
            throw new FluxException(Errno.EINVAL, $"'{name}' is not a valid queue");
        }
        _idleWaiters.Add((msg, drain, name));
        CheckIdle();
        return ValueTask.CompletedTask;
    }

    private void CheckIdle()
    {
        if (_idleWaiters.Count == 0)
        {
            return;
        }
        for (var i = _idleWaiters.Count - 1; i >= 0; i--)
        {
            var (req, drain, name) = _idleWaiters[i];
            var counts = name is null ? _counts : _queueCounts.GetValueOrDefault(name);
            var busy = drain ? counts.Active : counts.Running;
            if (busy == 0)
            {
                _idleWaiters.RemoveAt(i);
                flux.Respond(req);
            }
        }
    }

    /// <summary>Active and running job counts, for the whole instance and per queue, kept as jobs change state.</summary>
    private (int Active, int Running) _counts;
    private readonly Dictionary<string, (int Active, int Running)> _queueCounts = new(StringComparer.Ordinal);

    private void CountTransition(Job job, JobState before, JobState after)
    {
        static (int, int) Delta(JobState s) => ((s & JobState.Active) != 0 ? 1 : 0, (s & JobState.Running) != 0 ? 1 : 0);
        var (a0, r0) = Delta(before);
        var (a1, r1) = Delta(after);
        _counts = (_counts.Active + a1 - a0, _counts.Running + r1 - r0);
        if (job.Queue is { } q)
        {
            var c = _queueCounts.GetValueOrDefault(q);
            _queueCounts[q] = (c.Active + a1 - a0, c.Running + r1 - r0);
        }
    }
}
