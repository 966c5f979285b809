// Accepting jobs from job-ingest (already committed to the KVS) and purging inactive ones.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>
    /// <c>job-manager.submit {jobs:[{id, userid, urgency, flags, t_submit, jobspec}]}</c> from
    /// job-ingest. Each job's KVS data and submit event exist already. A job the manager refuses
    /// (its queue disabled or unknown) has its KVS data removed and is listed in
    /// <c>{errors:[{id, errnum, note}]}</c>.
    /// </summary>
    private async ValueTask OnSubmit(Message msg)
    {
        var jobs = msg.GetJson()["jobs"] as JsonArray ?? throw new FluxException(Errno.EPROTO, "missing jobs");
        var errors = new JsonArray();
        var rejected = new KvsTxn();
        var accepted = new List<Job>();
        foreach (var j in jobs.OfType<JsonObject>())
        {
            var id = j["id"]!.GetValue<ulong>();
            var jobspec = j["jobspec"]!.AsObject();
            var job = new Job(id, j["userid"]!.GetValue<uint>(), j["urgency"]?.GetValue<int>() ?? UrgencyDefault,
                j["flags"]?.GetValue<int>() ?? 0, j["t_submit"]!.GetValue<double>(), Intern(jobspec), jobspec);
            var refusal = SubmitRefusal(job);
            if (refusal is not null)
            {
                errors.Add(new JsonObject { ["id"] = id, ["errnum"] = Errno.EINVAL, ["note"] = refusal });
                rejected.Unlink(job.Key);
                continue;
            }
            _maxJobId = Math.Max(_maxJobId, id);
            job.Events.Add(new EventlogEntry(job.TSubmit, "submit", new JsonObject
            {
                ["userid"] = job.UserId,
                ["urgency"] = job.Urgency,
                ["flags"] = job.Flags,
                ["version"] = 1,
            }));
            _jobs[id] = job;
            CountTransition(job, 0, job.State);
            accepted.Add(job);
        }
        if (rejected.Count > 0)
        {
            await flux.KvsCommitAsync(rejected).ConfigureAwait(true);
        }
        flux.Respond(msg, new JsonObject { ["errors"] = errors });
        foreach (var job in accepted)
        {
            SendJournal(job, job.Events);
            Post(job, "validate", null);
        }
    }

    private byte[] _lastJobspec = [];

    // Jobs of one bulk submission (flux submit --cc, job arrays) share one jobspec: keep one copy of
    // the bytes, not one per job (10,000 jobs with a 2 KB environment would hold 20 MB).
    private byte[] Intern(JsonObject jobspec) => Intern(jobspec.ToJsonString());

    private byte[] Intern(string jobspecText)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(jobspecText);
        if (utf8.AsSpan().SequenceEqual(_lastJobspec))
        {
            return _lastJobspec;
        }
        _lastJobspec = utf8;
        return utf8;
    }

    private string? SubmitRefusal(Job job)
    {
        var queue = QueueOf(job.Queue);
        if (queue is null)
        {
            return job.Queue is null
                ? $"no queue specified and no default queue is configured (queues: {string.Join(", ", _queues.Keys)})"
                : $"invalid queue '{job.Queue}' specified";
        }
        if (!queue.Enabled)
        {
            var which = queue.Name.Length == 0 ? "job submission is disabled" : $"queue {queue.Name}: job submission is disabled";
            return queue.DisableReason is { Length: > 0 } r ? $"{which}: {r}" : which;
        }
        return null;
    }

    private async ValueTask OnPurge(Message msg)
    {
        var req = msg.GetJsonOrNull() ?? [];
        var ageLimit = req["age_limit"]?.GetValue<double>() ?? _inactiveAgeLimit;
        var numLimit = req["num_limit"]?.GetValue<long>() ?? _inactiveNumLimit;
        var force = req["force"]?.GetValue<bool>() ?? false;
        var candidates = Purgeable(ageLimit, numLimit, req.ContainsKey("age_limit") || req.ContainsKey("num_limit"));
        if (!force)
        {
            flux.Respond(msg, new JsonObject { ["count"] = candidates.Count });
            return;
        }
        await PurgeAsync(candidates).ConfigureAwait(true);
        flux.Respond(msg, new JsonObject { ["count"] = candidates.Count });
    }

    private List<Job> Purgeable(double ageLimit, long numLimit, bool explicitLimits)
    {
        var inactive = _jobs.Values.Where(j => j.State == JobState.Inactive).OrderBy(j => j.TInactive).ToList();
        var result = new List<Job>();
        if (numLimit > 0 && inactive.Count > numLimit)
        {
            result.AddRange(inactive.Take((int)(inactive.Count - numLimit)));
        }
        if (ageLimit > 0)
        {
            var cutoff = Now - ageLimit;
            result.AddRange(inactive.Where(j => j.TInactive < cutoff && !result.Contains(j)));
        }
        return explicitLimits || _inactiveAgeLimit > 0 || _inactiveNumLimit > 0 ? result : [];
    }

    private void PurgeInactive()
    {
        if (_inactiveAgeLimit <= 0 && _inactiveNumLimit <= 0)
        {
            return;
        }
        var victims = Purgeable(_inactiveAgeLimit, _inactiveNumLimit, false);
        if (victims.Count > 0)
        {
            _ = PurgeAsync(victims);
        }
    }

    private async Task PurgeAsync(List<Job> victims)
    {
        var txn = new KvsTxn();
        foreach (var j in victims)
        {
            if (_jobs.Remove(j.Id))
            {
                txn.Unlink(j.Key);
                SendJournalPurge(j.Id);
            }
        }
        if (txn.Count == 0)
        {
            return;
        }
        try
        {
            await _lastFlush.ConfigureAwait(true);
            await flux.KvsCommitAsync(txn).ConfigureAwait(true);
        }
        catch (FluxException ex)
        {
            log.LogError("job-manager: purge of {Count} jobs failed: {Error}", txn.Count, ex.Message);
        }
    }
}
