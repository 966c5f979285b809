// Jobtap at submission: job.create, job.validate and job.dependency.SCHEME decide; job.new follows acceptance.
using System.Text.Json.Nodes;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>
    /// Runs job.create, job.validate, then job.dependency.SCHEME for each of the jobspec's
    /// dependencies (RFC 26). Returns the message the submitter sees when a plugin rejects the job,
    /// or when no plugin handles a dependency's scheme; null when accepted.
    /// </summary>
    private string? JobtapRefusal(Job job)
    {
        var create = new PluginArgs(() => JobArgs(job));
        if (!CallJob(job, "job.create", create))
        {
            return create.ErrorMessage;
        }
        if ((job.Flags & (int)SubmitFlags.NoValidate) == 0)
        {
            var validate = new PluginArgs(() => JobArgs(job));
            if (!CallJob(job, "job.validate", validate))
            {
                return validate.ErrorMessage;
            }
        }
        return DependencyRefusal(job);
    }

    /// <summary>
    /// job.dependency.SCHEME for each of the jobspec's dependencies (RFC 26), on every plugin or on
    /// <paramref name="only"/> (a plugin just loaded, which skips the schemes it does not handle).
    /// Returns why a dependency was refused, or null.
    /// </summary>
    private string? DependencyRefusal(Job job, JobtapPlugin? only = null)
    {
        if (job.Spec.Dependencies is not { Count: > 0 } deps)
        {
            return null;
        }
        foreach (var dep in deps.OfType<JsonObject>())
        {
            var scheme = dep["scheme"]?.GetValue<string>() ?? string.Empty;
            var topic = "job.dependency." + scheme;
            var handlers = HandlersFor(topic);
            if (only is not null ? !handlers.Any(h => h.Plugin == only) : handlers.Length == 0)
            {
                if (only is null)
                {
                    return $"dependency scheme \"{scheme}\" not supported";
                }
                continue;
            }
            var args = new PluginArgs(() => WithExtra(JobArgs(job), o => o["dependency"] = dep.DeepClone()));
            if (!CallJob(job, topic, args, only))
            {
                return args.ErrorMessage ?? "rejected by job-manager dependency plugin";
            }
        }
        return null;
    }

    /// <summary>
    /// The dependency check of a job already accepted (restart, a plugin loaded later): a refusal
    /// is a non-fatal "dependency" exception, as restart.c raises it, not the job's rejection.
    /// </summary>
    private void CheckDependencies(Job job, JobtapPlugin? only = null)
    {
        if (DependencyRefusal(job, only) is { } error)
        {
            JobtapLog.DependencyCheckFailed(log, Fluid.Encode(job.Id, FluidEncoding.F58), error);
            RaiseException(job, "dependency", 1, error, 0);
        }
    }

    /// <summary>A refused job's plugins let go of it (job.destroy frees their per-job data).</summary>
    private void JobtapRefused(Job job)
    {
        Notify(job, "job.destroy");
        job.Aux = null;
        job.Deferred = null;
        foreach (var p in _plugins)
        {
            p.Subscriptions.Remove(job.Id);
        }
    }

    /// <summary>The job is accepted: events plugins posted while deciding are applied, then job.new.</summary>
    private void JobtapAccepted(Job job)
    {
        DrainDeferred(job);
        Notify(job, "job.new");
    }

    /// <summary>The job left the inactive hash (purged): job.inactive-remove, then job.destroy.</summary>
    private void JobtapPurged(Job job)
    {
        Notify(job, "job.inactive-remove");
        JobtapRefused(job);
    }
}
