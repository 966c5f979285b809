// The jobs job-list holds, fed by job-manager journal entries; listing order and statistics.
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Modules.JobList;

/// <summary>
/// Jobs by id, built from <c>job-manager.events-journal</c> entries
/// (<c>{id, events, jobspec?, R?, purged?}</c>). Lists in flux-core's order: pending jobs by
/// priority (highest first) then submit time, running jobs by start time (most recent first),
/// inactive jobs by the time they became inactive (most recent first).
/// </summary>
internal sealed class JobTable
{
    private readonly Dictionary<ulong, JobData> _jobs = [];
    private readonly Dictionary<string, long> _purgedByQueue = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public long InactivePurged { get; private set; }

    /// <summary>Whether the journal's sentinel has arrived for this table (its backlog is complete).</summary>
    public bool BacklogComplete { get; set; }

    /// <summary>R lookups in flight for jobs of this table; the table is not served before they end.</summary>
    public int PendingLookups { get; set; }

    public JobData? Find(ulong id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Applies one journal entry; returns the job it touched (null when the job is gone or unknown).
    /// An entry for a job not seen before must contain its <c>submit</c> event; otherwise it is ignored
    /// (flux-core logs and drops it too).
    /// </summary>
    public JobData? Apply(ulong id, JsonObject entry) => Apply(id, entry, default);

    // The last jobspec read from the journal, as submitted (UTF-8), and what was made of it: the
    // jobs of a bulk submission share one text and summary instead of encoding and parsing each.
    private (byte[] Utf8, string Text, JobspecSummary Spec)? _lastJobspec;

    /// <summary>
    /// As <see cref="Apply(ulong, JsonObject)"/>, given also the entry's jobspec as it appears in the
    /// message (<paramref name="jobspecUtf8"/>), when the caller has it.
    /// </summary>
    public JobData? Apply(ulong id, JsonObject entry, ReadOnlySpan<byte> jobspecUtf8)
    {
        if (entry["purged"] is JsonValue p && p.TryGetValue(out bool purged) && purged)
        {
            if (_jobs.Remove(id, out var gone) && (gone.State & JobState.Inactive) != 0)
            {
                CountPurged(gone.Queue);
            }
            return null;
        }
        var events = entry["events"] as JsonArray ?? [];
        if (!_jobs.TryGetValue(id, out var job))
        {
            if (!events.Any(e => JobspecSummary.Str(e?["name"]) == "submit"))
            {
                return null;
            }
            job = new JobData(id);
            _jobs[id] = job;
        }
        if (entry["jobspec"] is JsonObject jobspec)
        {
            if (!jobspecUtf8.IsEmpty && _lastJobspec is { } last && jobspecUtf8.SequenceEqual(last.Utf8))
            {
                job.SetJobspec(last.Text, last.Spec);
            }
            else
            {
                job.SetJobspec(jobspec);
                if (!jobspecUtf8.IsEmpty && job.JobspecText is { } text && job.Spec is { } spec)
                {
                    _lastJobspec = (jobspecUtf8.ToArray(), text, spec);
                }
            }
        }
        if (entry["R"] is JsonObject r)
        {
            job.SetR(r);
        }
        foreach (var e in events)
        {
            if (e is not JsonObject ev || JobspecSummary.Str(ev["name"]) is not { } name)
            {
                continue;
            }
            var ts = JobspecSummary.Num(ev["timestamp"]) ?? 0;
            if (!job.Apply(name, ts, ev["context"] as JsonObject))
            {
                _jobs.Remove(id);
                return null;
            }
        }
        return job;
    }

    /// <summary>Carries the purge counts of a table this one replaces (job-manager restarted: the new backlog lacks purged jobs).</summary>
    public void InheritPurged(JobTable previous)
    {
        InactivePurged += previous.InactivePurged;
        foreach (var (q, n) in previous._purgedByQueue)
        {
            _purgedByQueue[q] = _purgedByQueue.GetValueOrDefault(q) + n;
        }
    }

    /// <summary>Listed jobs (those past NEW) in flux-core's order.</summary>
    public IEnumerable<JobData> Ordered()
    {
        var pending = _jobs.Values.Where(j => (j.State & JobState.Pending) != 0)
            .OrderByDescending(j => j.Priority).ThenBy(j => j.TSubmit).ThenBy(j => j.Id);
        var running = _jobs.Values.Where(j => (j.State & JobState.Running) != 0)
            .OrderByDescending(j => j.TRun).ThenByDescending(j => j.Id);
        var inactive = _jobs.Values.Where(j => j.State == JobState.Inactive)
            .OrderByDescending(j => j.TInactive).ThenByDescending(j => j.Id);
        return pending.Concat(running).Concat(inactive);
    }

    /// <summary>
    /// The <c>job-list.job-stats</c> response: counts by state and result, overall and per queue
    /// (flux-core's shape: <c>{job_states:{...}, successful, failed, timeout, canceled,
    /// inactive_purged, queues:[{name, ...}]}</c>).
    /// </summary>
    public JsonObject Stats()
    {
        var all = new Counts();
        var byQueue = new SortedDictionary<string, Counts>(StringComparer.Ordinal);
        foreach (var j in _jobs.Values)
        {
            all.Add(j);
            if (j.Queue is { } q)
            {
                if (!byQueue.TryGetValue(q, out var c))
                {
                    byQueue[q] = c = new Counts();
                }
                c.Add(j);
            }
        }
        foreach (var q in _purgedByQueue.Keys.Where(q => !byQueue.ContainsKey(q)))
        {
            byQueue[q] = new Counts();
        }
        var result = all.ToJson(InactivePurged);
        var queues = new JsonArray();
        foreach (var (name, c) in byQueue)
        {
            var o = c.ToJson(_purgedByQueue.GetValueOrDefault(name));
            o["name"] = name;
            queues.Add(o);
        }
        result["queues"] = queues;
        return result;
    }

    private void CountPurged(string? queue)
    {
        InactivePurged++;
        if (queue is not null)
        {
            _purgedByQueue[queue] = _purgedByQueue.GetValueOrDefault(queue) + 1;
        }
    }

    private sealed class Counts
    {
        private long _depend, _priority, _sched, _run, _cleanup, _inactive, _total;
        private long _successful, _failed, _canceled, _timeout;

        public void Add(JobData j)
        {
            _total++;
            switch (j.State)
            {
                case JobState.Depend: _depend++; break;
                case JobState.Priority: _priority++; break;
                case JobState.Sched: _sched++; break;
                case JobState.Run: _run++; break;
                case JobState.Cleanup: _cleanup++; break;
                case JobState.Inactive:
                    _inactive++;
                    switch (j.Result)
                    {
                        case JobResult.Completed: _successful++; break;
                        case JobResult.Canceled: _canceled++; break;
                        case JobResult.Timeout: _timeout++; break;
                        default: _failed++; break;
                    }
                    break;
            }
        }

        public JsonObject ToJson(long purged) => new()
        {
            ["job_states"] = new JsonObject
            {
                ["depend"] = _depend,
                ["priority"] = _priority,
                ["sched"] = _sched,
                ["run"] = _run,
                ["cleanup"] = _cleanup,
                ["inactive"] = _inactive,
                ["total"] = _total,
            },
            ["successful"] = _successful,
            ["failed"] = _failed,
            ["timeout"] = _timeout,
            ["canceled"] = _canceled,
            ["inactive_purged"] = purged,
        };
    }
}
