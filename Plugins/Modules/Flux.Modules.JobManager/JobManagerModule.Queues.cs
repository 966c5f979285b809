// Queue control as in the admin guide and flux-core's queue.c (RFC 33): enable/disable (submission),
// start/stop (scheduling), status, list, alloc-query, drain (no active jobs) and idle (no running jobs).
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

    /// <summary>
    /// The queue a job already accepted belongs to: without [queues], every job (named queue or not)
    /// is in the anonymous queue, as flux-core's queue_started() treats it; null for a queue no
    /// longer configured.
    /// </summary>
    private QueueState? QueueOf(string? name)
    {
        if (_queues.TryGetValue(name ?? string.Empty, out var q))
        {
            return q;
        }
        return _queues.Count == 1 && _queues.TryGetValue(string.Empty, out var anon) ? anon : null;
    }

    private bool QueueStarted(string? name) => QueueOf(name)?.Started ?? false;

    private bool NamedQueues => !_queues.ContainsKey(string.Empty);

    /// <summary>The queue a request or a new job names, with flux-core's (queue.c) refusals.</summary>
    private QueueState LookupQueue(string? name)
    {
        if (name is null)
        {
            return NamedQueues ? throw new FluxException(Errno.EINVAL, "a named queue is required") : _queues[string.Empty];
        }
        return NamedQueues && _queues.TryGetValue(name, out var q) ? q : throw new FluxException(Errno.EINVAL, $"'{name}' is not a valid queue");
    }

    /// <summary>The queues an enable or start request applies to: the one named, or all of them.</summary>
    private List<QueueState> SelectQueues(JsonObject req)
    {
        var name = req["name"]?.GetValue<string>();
        if (name is not null)
        {
            return [LookupQueue(name)];
        }
        if (NamedQueues && !(req["all"]?.GetValue<bool>() ?? false))
        {
            throw new FluxException(Errno.EINVAL, "Use --all to apply this command to all queues");
        }
        return [.. _queues.Values];
    }

    private async ValueTask OnQueueEnable(Message msg)
    {
        var req = msg.GetJson();
        var enable = req["enable"]?.GetValue<bool>() ?? throw new FluxException(Errno.EPROTO, "missing enable");
        var reason = req["reason"]?.GetValue<string>();
        if (!enable && reason is null)
        {
            throw new FluxException(Errno.EINVAL, "reason is required for disable");
        }
        foreach (var q in SelectQueues(req))
        {
            q.Enable(enable, reason);
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
        var nocheckpoint = req["nocheckpoint"]?.GetValue<bool>() ?? false;
        var selected = SelectQueues(req);
        foreach (var q in selected)
        {
            q.Start(start, req["reason"]?.GetValue<string>(), nocheckpoint);
        }
        if (!start)
        {
            // As flux-core's queue_stop(): alloc requests already at the scheduler are canceled, so the
            // stopped queue's jobs wait here (sched.cancel answers each with a cancel response).
            foreach (var job in _jobs.Values.Where(j => j.AllocPending && j.State == JobState.Sched && selected.Contains(QueueOf(j.Queue)!)))
            {
                CancelAlloc(job);
            }
        }
        if (!nocheckpoint)
        {
            await CheckpointAsync().ConfigureAwait(true);
        }
        flux.Respond(msg);
        TryAlloc();
    }

    /// <summary>
    /// <c>{queues:[{name, enable, disable_reason, start, stop_reason, active, running}]}</c> for every
    /// queue (or the one named), plus flux-core's single-queue answer <c>{enable, start,
    /// disable_reason?, stop_reason?}</c> at the top level when one queue is selected. Without a
    /// scheduler, a queue is reported stopped with "Scheduler is offline", as flux-core does.
    /// </summary>
    private ValueTask OnQueueStatus(Message msg)
    {
        var req = msg.GetJsonOrNull() ?? [];
        var name = req["name"]?.GetValue<string>();
        var selected = name is not null || !NamedQueues ? [LookupQueue(name)] : _queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
        var list = new JsonArray();
        foreach (var q in selected)
        {
            var entry = Status(q);
            entry["name"] = q.Name;
            entry["active"] = _jobs.Values.Count(j => (j.State & JobState.Active) != 0 && QueueOf(j.Queue) == q);
            entry["running"] = _jobs.Values.Count(j => (j.State & JobState.Running) != 0 && QueueOf(j.Queue) == q);
            list.Add(entry);
        }
        var resp = selected.Count == 1 ? Status(selected[0]) : [];
        resp["queues"] = list;
        flux.Respond(msg, resp);
        return ValueTask.CompletedTask;
    }

    private JsonObject Status(QueueState q)
    {
        var (start, stopReason) = _schedReady ? (q.Started, q.StopReason) : (false, "Scheduler is offline");
        var o = new JsonObject { ["enable"] = q.Enabled, ["start"] = start };
        if (!q.Enabled)
        {
            o["disable_reason"] = q.DisableReason;
        }
        if (!start && stopReason is not null)
        {
            o["stop_reason"] = stopReason;
        }
        return o;
    }

    /// <summary><c>job-manager.queue-list</c>: the named queues (none for the anonymous queue), as flux-core.</summary>
    private ValueTask OnQueueList(Message msg)
    {
        var names = NamedQueues ? _queues.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode?)n) : [];
        flux.Respond(msg, new JsonObject { ["queues"] = new JsonArray([.. names]) });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// <c>job-manager.alloc-query</c> (flux-core): jobs waiting in started queues for an alloc request,
    /// alloc requests at the scheduler, and jobs holding resources.
    /// </summary>
    private ValueTask OnAllocQuery(Message msg)
    {
        var queued = _schedCandidates.Where(kv => QueueStarted(kv.Key.Length == 0 ? null : kv.Key)).Sum(kv => kv.Value.Count);
        flux.Respond(msg, new JsonObject { ["queue_length"] = queued, ["alloc_pending"] = _allocOutstanding, ["running"] = _counts.Running });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnQueueDrain(Message msg) => WaitIdle(msg, drain: true);

    private ValueTask OnQueueIdle(Message msg) => WaitIdle(msg, drain: false);

    private ValueTask WaitIdle(Message msg, bool drain)
    {
        var name = msg.GetJsonOrNull()?["name"]?.GetValue<string>();
        if (name is not null)
        {
            LookupQueue(name);
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
                // flux-core's idle answers how many jobs are still pending (flux queue idle prints it).
                flux.Respond(req, drain ? null : new JsonObject { ["pending"] = counts.Active - counts.Running });
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
