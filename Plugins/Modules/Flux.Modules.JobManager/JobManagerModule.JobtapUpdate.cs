// flux update: the job-manager.update RPC, job.update.KEY plugins deciding, the jobspec-update event (RFC 21) and job.update.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>
    /// <c>job-manager.update {id, updates:{DOTTED.KEY: value}}</c> (update.c): every key must be
    /// allowed by a <c>job.update.KEY</c> plugin (updates are denied by default), then the updated
    /// jobspec goes through <c>job.validate</c> unless every plugin said it was validated, through
    /// the scheduler's feasibility check if a plugin asked for one, and is posted as one
    /// <c>jobspec-update</c> event. All keys apply or none.
    /// </summary>
    private async ValueTask OnUpdate(Message msg)
    {
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing job id");
        if (req["updates"] is not JsonObject requested || requested.Count == 0
            || requested.Any(kv => !kv.Key.StartsWith("attributes.", StringComparison.Ordinal) || kv.Key.EndsWith('.')))
        {
            throw new FluxException(Errno.EINVAL, "one or more jobspec updates are invalid");
        }
        if (!_jobs.TryGetValue(id, out var job))
        {
            throw new FluxException(Errno.ENOENT, "unknown job id");
        }
        if (job.State == JobState.Inactive)
        {
            throw new FluxException(Errno.EINVAL, "job is inactive");
        }
        var owner = (msg.RoleMask & FluxRole.Owner) != 0;
        if (!owner && msg.UserId != job.UserId)
        {
            throw new FluxException(Errno.EPERM, "guests may only update their own jobs");
        }
        if (job.Immutable && !owner)
        {
            throw new FluxException(Errno.EPERM, "job is immutable due to previous instance owner update");
        }
        var updates = (JsonObject)requested.DeepClone();
        var (validate, feasibility) = AllowUpdates(job, msg, updates);
        if (validate)
        {
            var args = new PluginArgs(() =>
            {
                var o = JobArgsCopy(job);
                o["jobspec"] = JobspecUpdates.Apply(o["jobspec"]!.DeepClone(), updates);
                return o;
            });
            if (!CallJob(job, "job.validate", args))
            {
                throw new FluxException(Errno.EINVAL, args.ErrorMessage ?? "rejected by job-manager plugin");
            }
        }
        if (feasibility)
        {
            var jobspec = JobspecUpdates.Apply(JsonNode.Parse(job.Spec.Redacted)!, updates);
            await flux.RpcAsync("feasibility.check", new JsonObject { ["jobspec"] = jobspec }).ConfigureAwait(true);
            if (job.State == JobState.Inactive)
            {
                throw new FluxException(Errno.EINVAL, "job is inactive");
            }
        }
        var expiration = (job.State & JobState.Running) != 0 ? await RunningExpirationAsync(job, updates).ConfigureAwait(true) : null;
        // An owner's unvalidated update of another user's job (past the limits, say) must not be
        // undone or built on by that user: the job is immutable for them from now on (update.c).
        if (!validate && owner && msg.UserId != job.UserId)
        {
            Post(job, JobEventNames.SetFlags, new JsonObject { ["flags"] = new JsonArray("immutable") });
        }
        Post(job, JobEventNames.JobspecUpdate, updates);
        if (expiration is double exp)
        {
            Post(job, JobEventNames.ResourceUpdate, new JsonObject { ["expiration"] = exp });
        }
        flux.Respond(msg);
    }

    /// <summary>
    /// job.update.KEY for each key: IN has <c>cred</c>, <c>key</c> and <c>value</c>; OUT may say
    /// <c>validated</c>, ask for <c>feasibility</c>, and add <c>updates</c> of its own.
    /// </summary>
    private (bool Validate, bool Feasibility) AllowUpdates(Job job, Message msg, JsonObject updates)
    {
        var validate = false;
        var feasibility = false;
        var extra = new JsonObject();
        foreach (var (key, value) in updates)
        {
            var topic = "job.update." + key;
            if (HandlersFor(topic).Length == 0)
            {
                throw new FluxException(Errno.EINVAL, $"update of {key} not supported");
            }
            var args = new PluginArgs(() => WithExtra(JobArgs(job), o =>
            {
                o["cred"] = new JsonObject { ["userid"] = msg.UserId, ["rolemask"] = (int)msg.RoleMask };
                o["key"] = key;
                o["value"] = value?.DeepClone();
            }));
            if (!CallJob(job, topic, args))
            {
                throw new FluxException(Errno.EINVAL, args.ErrorMessage ?? "update rejected by job-manager plugin");
            }
            validate |= !Flag(args, "validated");
            feasibility |= Flag(args, "feasibility");
            if (args.HasOut && args.Out["updates"] is JsonObject more)
            {
                foreach (var (k, v) in more)
                {
                    extra[k] = v?.DeepClone();
                }
            }
        }
        foreach (var (k, v) in extra)
        {
            updates[k] = v?.DeepClone();
        }
        return (validate, feasibility);
    }

    // A plugin may say 1 or true (flux-core reads an int); a value it built holds a CLR int, not a long.
    private static bool Flag(PluginArgs args, string key) =>
        args.HasOut && args.Out[key] is JsonValue v && v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.Number => v.ToJsonString() is not ("0" or "0.0"),
            _ => false,
        };

    /// <summary>
    /// A running job's new expiration for a duration update (its start plus the new duration, 0 for
    /// unlimited), agreed with the scheduler by <c>sched.expiration</c> (a scheduler without it is fine).
    /// </summary>
    private async Task<double?> RunningExpirationAsync(Job job, JsonObject updates)
    {
        if (updates["attributes.system.duration"] is not JsonValue d || !d.TryGetValue(out double duration))
        {
            return null;
        }
        var expiration = 0.0;
        if (duration > 0)
        {
            var start = job.R is null ? 0 : JsonNode.Parse(job.R)?["execution"]?["starttime"]?.GetValue<double>() ?? 0;
            if (start <= 0)
            {
                throw new FluxException(Errno.EINVAL, "unable to get job starttime");
            }
            expiration = start + duration;
            if (expiration <= Now)
            {
                throw new FluxException(Errno.EINVAL, "requested duration places job expiration in the past");
            }
        }
        try
        {
            await flux.RpcAsync("sched.expiration", new JsonObject { ["id"] = job.Id, ["expiration"] = expiration }).ConfigureAwait(true);
        }
        catch (FluxException ex) when (ex.Errnum != Errno.ENOSYS)
        {
            throw new FluxException(ex.Errnum, "scheduler refused expiration update", ex);
        }
        return expiration;
    }

    /// <summary>The jobtap side of replaying an event (live or at restart): dependencies and jobspec updates.</summary>
    private static void ApplyJobtapEvent(Job job, EventlogEntry e)
    {
        var description = e.Context?["description"]?.GetValue<string>();
        switch (e.Name)
        {
            case JobEventNames.DependencyAdd when description is not null:
                (job.Dependencies ??= new(StringComparer.Ordinal)).Add(description);
                break;
            case JobEventNames.DependencyRemove when description is not null:
                job.Dependencies?.Remove(description);
                break;
            case JobEventNames.JobspecUpdate when e.Context is { } updates:
                job.Spec = new SubmittedJobspec(System.Text.Encoding.UTF8.GetBytes(JobspecUpdates.Apply(JsonNode.Parse(job.Spec.Utf8)!, updates).ToJsonString()));
                break;
            default:
                break;
        }
    }
}
