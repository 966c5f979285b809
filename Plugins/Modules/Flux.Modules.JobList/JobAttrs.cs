// Encodes a job for job-list responses: the attributes flux-core's job-list returns, each only when known.
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Abstractions;

namespace Flux.Modules.JobList;

/// <summary>
/// The job-list attributes. As in flux-core, an attribute is left out when it does not apply yet:
/// priority before SCHED was reached, t_run before RUN, result and success before INACTIVE,
/// exception details when no exception occurred, and so on. <c>"all"</c> selects every attribute.
/// </summary>
internal static class JobAttrs
{
    public static readonly IReadOnlyList<string> Names =
    [
        "userid", "urgency", "priority", "t_submit", "t_depend", "t_run", "t_cleanup", "t_inactive",
        "state", "name", "cwd", "queue", "project", "bank", "ntasks", "ncores", "duration", "nnodes",
        "ranks", "nodelist", "success", "exception_occurred", "exception_type", "exception_severity",
        "exception_note", "result", "expiration", "annotations", "waitstatus", "dependencies",
    ];

    private static readonly HashSet<string> Valid = new(Names, StringComparer.Ordinal);

    /// <summary>Reads and checks the <c>attrs</c> array of a request: EPROTO if missing, EINVAL for an unknown name.</summary>
    public static IReadOnlyList<string> Parse(JsonNode? attrs)
    {
        if (attrs is not JsonArray array)
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: attrs must be an array");
        }
        var list = new List<string>(array.Count);
        foreach (var a in array)
        {
            var name = JobspecSummary.Str(a) ?? throw new FluxException(Errno.EINVAL, "attr has no string value");
            if (name == "all")
            {
                list.AddRange(Names);
            }
            else if (Valid.Contains(name))
            {
                list.Add(name);
            }
            else
            {
                throw new FluxException(Errno.EINVAL, $"{name} is not a valid attribute");
            }
        }
        return list;
    }

    /// <summary>The job as <c>{id, ATTR...}</c> with the requested attributes that apply.</summary>
    public static JsonObject ToJson(JobData job, IReadOnlyList<string> attrs)
    {
        var o = new JsonObject { ["id"] = job.Id };
        foreach (var a in attrs)
        {
            if (!o.ContainsKey(a) && Value(job, a) is { } v)
            {
                o[a] = v;
            }
        }
        return o;
    }

    private static JsonNode? Value(JobData job, string attr)
    {
        var mask = job.StatesMask;
        var inactive = (mask & JobState.Inactive) != 0;
        return attr switch
        {
            "userid" => job.UserId,
            "urgency" => job.Urgency,
            "priority" => (mask & JobState.Sched) != 0 ? job.Priority : null,
            "t_submit" => job.TSubmit,
            "t_depend" => (mask & JobState.Depend) != 0 ? job.TDepend : null,
            "t_run" => (mask & JobState.Run) != 0 ? job.TRun : null,
            "t_cleanup" => (mask & JobState.Cleanup) != 0 ? job.TCleanup : null,
            "t_inactive" => inactive ? job.TInactive : null,
            "state" => (int)job.State,
            "name" => job.Spec?.Name,
            "cwd" => job.Spec?.Cwd,
            "queue" => job.Spec?.Queue,
            "project" => job.Spec?.Project,
            "bank" => job.Spec?.Bank,
            "ntasks" => job.NTasks >= 0 ? job.NTasks : null,
            "ncores" => job.NCores >= 0 ? job.NCores : null,
            "duration" => job.Spec is { Duration: >= 0 } s ? s.Duration : null,
            "nnodes" => job.NNodes >= 0 ? job.NNodes : null,
            "ranks" => (mask & JobState.Run) != 0 ? job.Ranks : null,
            "nodelist" => (mask & JobState.Run) != 0 ? job.Nodelist : null,
            "expiration" => (mask & JobState.Run) != 0 && job.Expiration >= 0 ? job.Expiration : null,
            "waitstatus" => job.WaitStatus >= 0 ? job.WaitStatus : null,
            "success" => inactive ? job.Success : null,
            "exception_occurred" => inactive ? job.ExceptionOccurred : null,
            "exception_severity" => inactive && job.ExceptionOccurred ? job.ExceptionSeverity : null,
            "exception_type" => inactive && job.ExceptionOccurred ? job.ExceptionType : null,
            "exception_note" => inactive && job.ExceptionOccurred ? job.ExceptionNote : null,
            "result" => inactive ? (int)job.Result : null,
            "annotations" => job.AnnotationsJson is { } a ? JsonNode.Parse(a) : null,
            "dependencies" => job.Dependencies.Count > 0 ? new JsonArray([.. job.Dependencies.Select(d => (JsonNode)d)]) : null,
            _ => null,
        };
    }
}
