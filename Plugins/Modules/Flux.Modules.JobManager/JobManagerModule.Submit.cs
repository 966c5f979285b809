// Accepting jobs from job-ingest (already committed to the KVS) and purging inactive ones.
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
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
        // Read without building trees: each jobspec is kept as the text it was submitted as.
        using var doc = ParsePayload(msg);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
        {
            throw new FluxException(Errno.EPROTO, "job-manager.submit: missing jobs array");
        }
        var errors = new JsonArray();
        var rejected = new KvsTxn();
        var accepted = new List<(Job Job, byte[] SubmitLine)>();
        foreach (var j in jobs.EnumerateArray())
        {
            var job = SubmittedJob(j);
            var id = job.Id;
            var refusal = SubmitRefusal(job) ?? JobtapRefusal(job);
            if (refusal is not null)
            {
                errors.Add(new JsonObject { ["id"] = id, ["errnum"] = Errno.EINVAL, ["note"] = refusal });
                rejected.Unlink(job.Key);
                JobtapRefused(job);
                continue;
            }
            _maxJobId = Math.Max(_maxJobId, id);
            var submitLine = job.AddEvent(new EventlogEntry(job.TSubmit, JobEventNames.Submit, new JsonObject
            {
                ["userid"] = job.UserId,
                ["urgency"] = job.Urgency,
                ["flags"] = job.Flags,
                ["version"] = 1,
            }));
            _jobs[id] = job;
            CountTransition(job, 0, job.State);
            accepted.Add((job, submitLine));
        }
        if (rejected.Count > 0)
        {
            await flux.KvsCommitAsync(rejected).ConfigureAwait(true);
        }
        flux.Respond(msg, new JsonObject { ["errors"] = errors });
        foreach (var (job, submitLine) in accepted)
        {
            SendJournal(job, JobEventNames.Submit, submitLine);
            JobtapAccepted(job);
            Post(job, JobEventNames.Validate, null);
        }
    }

    private Job SubmittedJob(JsonElement j)
    {
        try
        {
            return new Job(j.GetProperty("id").GetUInt64(), j.GetProperty("userid").GetUInt32(),
                j.TryGetProperty("urgency", out var u) ? u.GetInt32() : UrgencyDefault,
                j.TryGetProperty("flags", out var f) ? f.GetInt32() : 0,
                j.GetProperty("t_submit").GetDouble(),
                Intern(JsonMarshal.GetRawUtf8Value(j.GetProperty("jobspec"))));
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FluxException(Errno.EPROTO, $"job-manager.submit: malformed job entry: {ex.Message}", ex);
        }
    }

    private static JsonDocument ParsePayload(Message msg)
    {
        try
        {
            return JsonDocument.Parse(msg.PayloadWithoutNul);
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"{msg.Topic}: malformed JSON payload: {ex.Message}", ex);
        }
    }

    private SubmittedJobspec _lastJobspec = new("{}"u8.ToArray());

    /// <summary>The jobspec shared with the previous submission when the text is the same (bulk submissions).</summary>
    private SubmittedJobspec Intern(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.SequenceEqual(_lastJobspec.Utf8))
        {
            _lastJobspec = new SubmittedJobspec(utf8.ToArray());
        }
        return _lastJobspec;
    }

    private SubmittedJobspec Intern(string jobspecText) => Intern(System.Text.Encoding.UTF8.GetBytes(jobspecText));

    /// <summary>flux-core's queue_submit_check(): the job's queue must exist and accept submissions.</summary>
    private string? SubmitRefusal(Job job)
    {
        QueueState queue;
        try
        {
            queue = LookupQueue(job.Queue);
        }
        catch (FluxException ex)
        {
            return ex.Message;
        }
        if (!queue.Enabled)
        {
            return queue.Named
                ? $"job submission to {queue.Name} is disabled: {queue.DisableReason}"
                : $"job submission is disabled: {queue.DisableReason}";
        }
        return job.Spec.DependencyRefusal;
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
            flux.Background(PurgeAsync(victims), "purge of inactive jobs");
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
                JobtapPurged(j);
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
            JobManagerLog.PurgeFailed(log, txn.Count, ex.Message);
        }
    }
}
