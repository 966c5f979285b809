// Restart: the checkpoint (max job id and queue states) and every job's eventlog replayed from the
// KVS, so pending jobs and history survive a restart.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private const string CheckpointKey = "checkpoint.job-manager";

    private async Task CheckpointAsync()
    {
        var cp = new JsonObject
        {
            ["version"] = 1,
            ["max_jobid"] = _maxJobId,
            ["queue"] = new JsonArray([.. _queues.Values.Select(q => (JsonNode)q.ToCheckpoint())]),
        };
        try
        {
            await flux.KvsCommitAsync(new KvsTxn().PutJson(CheckpointKey, cp)).ConfigureAwait(true);
        }
        catch (FluxException ex)
        {
            JobManagerLog.CheckpointFailed(log, ex.Message);
        }
    }

    private async Task RestoreAsync()
    {
        if (await flux.KvsGetJsonAsync(CheckpointKey).ConfigureAwait(true) is JsonObject cp)
        {
            _maxJobId = cp["max_jobid"]?.GetValue<ulong>() ?? 0;
            foreach (var q in (cp["queue"] as JsonArray ?? []).OfType<JsonObject>())
            {
                // The anonymous queue's entry has no name (flux-core's checkpoint); a queue no longer configured is skipped.
                if (_queues.TryGetValue(q["name"]?.GetValue<string>() ?? string.Empty, out var state))
                {
                    state.Restore(q);
                }
            }
        }
        var restored = 0;
        foreach (var key in await JobKeysAsync().ConfigureAwait(true))
        {
            // As restart.c: a directory name that is no job id stops the restart; a job whose data
            // cannot be replayed (no eventlog or jobspec, a truncated or malformed eventlog) is moved
            // to job-lost+found for the admin and the others are replayed.
            if (!Fluid.TryParse(key["job.".Length..], out var id))
            {
                throw new FluxException(Errno.EINVAL, $"restart failed: could not decode {key["job.".Length..]} to job ID");
            }
            Job job;
            try
            {
                job = await RestoreJobAsync(key, id).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is FluxException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
            {
                // The last three: an event whose context has a member of the wrong type.
                await MoveToLostFoundAsync(key, id).ConfigureAwait(true);
                JobManagerLog.NotReplayed(log, Fluid.Encode(id, FluidEncoding.F58), ex.Message);
                continue;
            }
            _jobs[job.Id] = job;
            CountTransition(job, 0, job.State);
            _maxJobId = Math.Max(_maxJobId, job.Id);
            restored++;
        }
        if (restored > 0)
        {
            if (log.IsEnabled(LogLevel.Information))
            {
                var active = _jobs.Values.Count(j => j.State != JobState.Inactive);
                JobManagerLog.Restored(log, restored, active);
            }
        }
        // Every job not inactive, NEW included (a job whose eventlog holds only submit, as in an archive
        // written right after a submission): JobState.Active, like flux-core's mask, leaves NEW out.
        foreach (var job in _jobs.Values.Where(j => j.State != JobState.Inactive).OrderBy(j => j.Id).ToList())
        {
            // As restart.c does: the dependency plugins see a pending job's dependencies again (a
            // refusal is a non-fatal exception now), then job.create and job.new, without
            // job.validate, come before any event this job-manager posts for it.
            if (job.State is JobState.New or JobState.Depend)
            {
                CheckDependencies(job);
            }
            CallJob(job, "job.create", new PluginArgs(() => JobArgs(job)));
            CallJob(job, "job.new", new PluginArgs(() => JobArgs(job)));
            if (job.State == JobState.Run)
            {
                // As restart.c: job-exec is asked to reattach. A job shell in a shell host survives the
                // restart and is taken over; job-exec raises the exception on any other.
                job.Reattach = true;
            }
            else if ((job.State & JobState.Running) != 0)
            {
                // CLEANUP: its exec was ending with the old broker and is not started again.
                RaiseException(job, "exec", 0, "the instance restarted while the job was running", 0);
            }
            else if (job.State == JobState.New)
            {
                Post(job, JobEventNames.Validate, null);
            }
            else
            {
                Post(job, JobEventNames.FluxRestart, null);
                if (job.State != JobState.Sched)
                {
                    Act(job);
                }
            }
        }
    }

    /// <summary>The KVS directories of all jobs: job.XXXX.XXXX.XXXX.XXXX (RFC 16); values among them are skipped, as restart.c does.</summary>
    private async Task<List<string>> JobKeysAsync()
    {
        var keys = new List<string> { "job" };
        for (var level = 0; level < 4; level++)
        {
            var next = new List<string>();
            foreach (var k in keys)
            {
                var dir = await flux.KvsLookupAsync(k, flags: KvsFlags.ReadDir).ConfigureAwait(true);
                foreach (var (name, entry) in dir?["data"] as JsonObject ?? [])
                {
                    if (TreeObject.TypeOf(entry) is "dir" or "dirref")
                    {
                        next.Add(k + "." + name);
                    }
                }
            }
            keys = next;
        }
        return keys;
    }

    /// <summary>Moves a job's KVS directory that could not be replayed to job-lost+found.job.F58 (restart.c's move_to_lost_found).</summary>
    private async Task MoveToLostFoundAsync(string key, ulong id)
    {
        var lost = "job-lost+found.job." + Fluid.Encode(id, FluidEncoding.F58);
        try
        {
            if (await flux.KvsLookupAsync(key, flags: KvsFlags.TreeObj).ConfigureAwait(true) is { } dir)
            {
                await flux.KvsCommitAsync(new KvsTxn().PutTreeObject(lost, dir).Unlink(key)).ConfigureAwait(true);
            }
        }
        catch (FluxException ex)
        {
            JobManagerLog.LostFoundMoveFailed(log, key, lost, ex.Message);
        }
    }

    private async Task<string> JobDataAsync(string key, string name) =>
        await flux.KvsGetStringAsync(key + "." + name).ConfigureAwait(true)
            ?? throw new FluxException(Errno.ENOENT, $"lookup {key}.{name}: No such file or directory");

    private async Task<Job> RestoreJobAsync(string key, ulong id)
    {
        var eventlog = await JobDataAsync(key, "eventlog").ConfigureAwait(true);
        var jobspec = await JobDataAsync(key, "jobspec").ConfigureAwait(true);
        IReadOnlyList<EventlogEntry> events;
        try
        {
            events = Eventlog.Parse(eventlog);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"eventlog: {ex.Message}", ex);
        }
        if (events.Count == 0 || events[0].Name != JobEventNames.Submit)
        {
            throw new FluxException(Errno.EINVAL, "eventlog: the first event is not submit");
        }
        var submit = events[0];
        var job = new Job(id, submit.Context?["userid"]?.GetValue<uint>() ?? 0, submit.Context?["urgency"]?.GetValue<int>() ?? UrgencyDefault,
            submit.Context?["flags"]?.GetValue<int>() ?? 0, submit.Timestamp, Intern(jobspec));
        foreach (var e in events)
        {
            job.AddEvent(e);
            Apply(job, e);
        }
        if (job.HasResources && await flux.KvsGetStringAsync(key + ".R").ConfigureAwait(true) is { } r)
        {
            job.R = System.Text.Encoding.UTF8.GetBytes(r);
        }
        if (job.State == JobState.Inactive)
        {
            job.Shrink();
        }
        return job;
    }
}
