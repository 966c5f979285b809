// A job-list.list request: filters (user, states, results, queue, name, since) and the entry limit.
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Abstractions;

namespace Flux.Modules.JobList;

/// <summary>
/// The filters of <c>job-list.list {max_entries, userid, states, results, attrs, queue?, name?,
/// since?}</c>, flux-core's legacy (non-constraint) form. <c>userid</c> -1 or 4294967295 (or absent)
/// means every user; <c>states</c> and <c>results</c> 0 mean all; results only select among
/// inactive jobs; <c>since</c> keeps inactive jobs that became inactive after that time;
/// <c>queue</c> may be one name or an array of names. A guest only ever gets its own jobs.
/// </summary>
internal sealed class ListQuery
{
    /// <summary>Every state a listing can show (a job is listed once it leaves NEW).</summary>
    public const JobState AllStates = JobState.Active | JobState.Inactive;

    /// <summary>Every result.</summary>
    public const JobResult AllResults = JobResult.Completed | JobResult.Failed | JobResult.Canceled | JobResult.Timeout;

    private ListQuery(int maxEntries, uint? userid, JobState states, JobResult results, IReadOnlyList<string> attrs)
    {
        MaxEntries = maxEntries;
        UserId = userid;
        States = states;
        Results = results;
        Attrs = attrs;
    }

    public int MaxEntries { get; }

    /// <summary>The only user whose jobs are listed, or null for every user.</summary>
    public uint? UserId { get; }

    public JobState States { get; }

    public JobResult Results { get; }

    public IReadOnlyList<string> Attrs { get; }

    public HashSet<string>? Queues { get; private init; }

    public string? Name { get; private init; }

    public double Since { get; private init; }

    public static ListQuery Parse(Message request)
    {
        var o = request.GetJson();
        var max = JobspecSummary.Num(o["max_entries"]) ?? throw new FluxException(Errno.EPROTO, "invalid payload: max_entries is required");
        if (max < 0)
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: max_entries < 0");
        }
        var attrs = JobAttrs.Parse(o["attrs"]);
        uint? userid = JobspecSummary.Num(o["userid"]) switch
        {
            null or -1 or uint.MaxValue => null,
            var u when u < 0 || u > uint.MaxValue => throw new FluxException(Errno.EPROTO, "invalid payload: userid out of range"),
            var u => (uint)u.Value,
        };
        // Guests see only their own jobs, whatever they ask for.
        if ((request.RoleMask & FluxRole.Owner) == 0)
        {
            userid = request.UserId;
        }
        var states = (JobState)(int)(JobspecSummary.Num(o["states"]) ?? 0);
        var results = (JobResult)(int)(JobspecSummary.Num(o["results"]) ?? 0);
        HashSet<string>? queues = o["queue"] switch
        {
            null => null,
            JsonArray a => new HashSet<string>(a.Select(q => JobspecSummary.Str(q) ?? throw new FluxException(Errno.EPROTO, "invalid payload: queue")), StringComparer.Ordinal),
            var q => new HashSet<string>([JobspecSummary.Str(q) ?? throw new FluxException(Errno.EPROTO, "invalid payload: queue")], StringComparer.Ordinal),
        };
        return new ListQuery((int)Math.Min(max, int.MaxValue), userid, states == 0 ? AllStates : states, results == 0 ? AllResults : results, attrs)
        {
            Queues = queues,
            Name = o["name"] is null ? null : JobspecSummary.Str(o["name"]) ?? throw new FluxException(Errno.EPROTO, "invalid payload: name must be a string"),
            Since = JobspecSummary.Num(o["since"]) ?? 0,
        };
    }

    public bool Matches(JobData job)
    {
        if ((job.State & States) == 0 || job.State == JobState.New)
        {
            return false;
        }
        if (job.State == JobState.Inactive && ((job.Result & Results) == 0 || (Since > 0 && job.TInactive <= Since)))
        {
            return false;
        }
        if (UserId is { } u && job.UserId != u)
        {
            return false;
        }
        if (Queues is not null && (job.Queue is null || !Queues.Contains(job.Queue)))
        {
            return false;
        }
        return Name is null || job.Name == Name;
    }

    /// <summary>The matching jobs in listing order, at most <see cref="MaxEntries"/> (0: no limit).</summary>
    public JsonArray Run(JobTable table)
    {
        var jobs = new JsonArray();
        foreach (var job in table.Ordered())
        {
            if (!Matches(job))
            {
                continue;
            }
            jobs.Add(JobAttrs.ToJson(job, Attrs));
            if (MaxEntries > 0 && jobs.Count >= MaxEntries)
            {
                break;
            }
        }
        return jobs;
    }
}
