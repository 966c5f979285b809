// One job as job-list knows it: RFC 21 state machine driven by journal events, plus jobspec and R fields.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobList;

/// <summary>
/// A job's listing record. Events are applied in eventlog order (RFC 21 transitions: validate →
/// DEPEND, depend → PRIORITY, priority → SCHED, urgency or flux-restart in SCHED → PRIORITY,
/// alloc → RUN, finish or a severity 0 exception → CLEANUP, clean → INACTIVE); the result is
/// computed at INACTIVE as flux-core does: COMPLETED when the job finished with status 0, else
/// CANCELED or TIMEOUT after a cancel or timeout exception, else FAILED.
/// </summary>
internal sealed class JobData(ulong id)
{
    private readonly List<string> _dependencies = [];
    // A dependency once removed is never listed again (flux-core's grudgeset).
    private readonly HashSet<string> _removedDependencies = new(StringComparer.Ordinal);
    private string? _jobspec;
    private bool _allocated;
    private bool _rLookup;

    public ulong Id { get; } = id;

    public uint UserId { get; private set; } = uint.MaxValue;

    public int Urgency { get; private set; } = -1;

    public long Priority { get; private set; }

    public JobState State { get; private set; } = JobState.New;

    /// <summary>Every state the job has been in (priority is listed only once SCHED was reached).</summary>
    public JobState StatesMask { get; private set; } = JobState.New;

    public double TSubmit { get; private set; }

    public double TDepend { get; private set; }

    public double TRun { get; private set; }

    public double TCleanup { get; private set; }

    public double TInactive { get; private set; }

    public JobspecSummary? Spec { get; private set; }

    /// <summary>The jobspec as compact JSON text, or null when none was seen.</summary>
    public string? JobspecText => _jobspec;

    public int NNodes { get; private set; } = -1;

    public int NCores { get; private set; } = -1;

    public int NTasks { get; private set; } = -1;

    public string? Ranks { get; private set; }

    public string? Nodelist { get; private set; }

    public double Expiration { get; private set; } = -1;

    public int WaitStatus { get; private set; } = -1;

    public bool Success { get; private set; }

    public bool ExceptionOccurred { get; private set; }

    public int ExceptionSeverity { get; private set; }

    public string? ExceptionType { get; private set; }

    public string? ExceptionNote { get; private set; }

    public JobResult Result { get; private set; } = JobResult.Failed;

    /// <summary>The annotations (scheduler's and memos under <c>user</c>) as compact JSON, or null when there are none.</summary>
    public string? AnnotationsJson { get; private set; }

    public IReadOnlyList<string> Dependencies => _dependencies;

    public string? Queue => Spec?.Queue;

    public string? Name => Spec?.Name;

    /// <summary>Takes the jobspec (from the journal entry holding <c>submit</c>) and derives counts from it.</summary>
    public void SetJobspec(JsonObject jobspec)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        // Kept as text only (a held JSON tree per job would dominate memory): jobspec-update re-reads it.
        SetJobspec(jobspec.ToJsonString(JsonOptions.Compact), JobspecSummary.Parse(jobspec));
    }

    /// <summary>Sets the jobspec from its compact text and summary (shared by the jobs of a bulk submission).</summary>
    public void SetJobspec(string text, JobspecSummary spec)
    {
        _jobspec = text;
        Spec = spec;
        NTasks = Spec.NTasks;
        if (!_allocated)
        {
            NNodes = Spec.NNodes;
            NCores = Spec.NCores;
        }
    }

    /// <summary>
    /// True once, for a job that has run but whose R did not come with its journal entries (an
    /// inactive job in a backlog): the caller reads R from the KVS instead, as flux-core's job-list does.
    /// </summary>
    public bool TakeRLookup()
    {
        if ((StatesMask & JobState.Run) == 0 || _allocated || _rLookup)
        {
            return false;
        }
        _rLookup = true;
        return true;
    }

    /// <summary>Takes R (RFC 20) at alloc: node count, ranks, nodelist, cores and expiration come from it.</summary>
    public void SetR(JsonObject r)
    {
        Rv1 parsed;
        try
        {
            parsed = Rv1.Parse(r);
        }
        catch (FluxException)
        {
            // flux-core treats an unreadable R as non-fatal: the job is listed without these fields.
            return;
        }
        _allocated = true;
        NNodes = parsed.NodeCount;
        NCores = parsed.CoreCount;
        Ranks = parsed.Ranks.Encode(IdSetFormat.Range | IdSetFormat.Brackets);
        Nodelist = parsed.Nodelist.ToString();
        Expiration = parsed.Expiration;
        if (Spec is { TasksPerCoreOnNodes: > 0 } s)
        {
            NTasks = parsed.CoreCount * s.TasksPerCoreOnNodes;
        }
    }

    /// <summary>
    /// Applies one event. Returns false for <c>invalidate</c>: the job was never accepted and must be
    /// forgotten. Unknown events are ignored (RFC 21 allows them).
    /// </summary>
    public bool Apply(string name, double timestamp, JsonObject? context)
    {
        switch (name)
        {
            case JobEventNames.Submit:
                TSubmit = timestamp;
                UserId = (uint)(JobspecSummary.Num(context?["userid"]) ?? uint.MaxValue);
                Urgency = (int)(JobspecSummary.Num(context?["urgency"]) ?? 16);
                break;
            case JobEventNames.Invalidate:
                return false;
            case JobEventNames.Validate:
                Transition(JobState.Depend, timestamp);
                break;
            case JobEventNames.Depend:
                if (State == JobState.Depend)
                {
                    Transition(JobState.Priority, timestamp);
                }
                break;
            case JobEventNames.Priority:
                Priority = (long)(JobspecSummary.Num(context?["priority"]) ?? Priority);
                if (State == JobState.Priority)
                {
                    Transition(JobState.Sched, timestamp);
                }
                break;
            case JobEventNames.Urgency:
                Urgency = (int)(JobspecSummary.Num(context?["urgency"]) ?? Urgency);
                RevertToPriority(timestamp);
                break;
            case JobEventNames.FluxRestart:
                RevertToPriority(timestamp);
                break;
            case JobEventNames.JobspecUpdate:
                ApplyJobspecUpdate(context);
                break;
            case JobEventNames.ResourceUpdate:
                if (JobspecSummary.Num(context?["expiration"]) is { } exp)
                {
                    Expiration = exp;
                }
                break;
            case JobEventNames.Alloc:
                if (context?["annotations"] is JsonObject { Count: > 0 } a && AnnotationsJson is null)
                {
                    AnnotationsJson = a.ToJsonString(JsonOptions.Compact);
                }
                if (State == JobState.Sched)
                {
                    Transition(JobState.Run, timestamp);
                }
                break;
            case JobEventNames.Exception:
                ApplyException(timestamp, context);
                break;
            case JobEventNames.Finish:
                WaitStatus = (int)(JobspecSummary.Num(context?["status"]) ?? 0);
                // A job that finishes with status 0 after a fatal exception (a cancel raced with the
                // exit) did not succeed: its result follows the exception.
                Success = WaitStatus == 0 && !(ExceptionOccurred && ExceptionSeverity == 0);
                if (State == JobState.Run)
                {
                    Transition(JobState.Cleanup, timestamp);
                }
                break;
            case JobEventNames.Clean:
                Result = Success ? JobResult.Completed
                    : ExceptionOccurred && ExceptionType == "cancel" ? JobResult.Canceled
                    : ExceptionOccurred && ExceptionType == "timeout" ? JobResult.Timeout
                    : JobResult.Failed;
                Transition(JobState.Inactive, timestamp);
                break;
            case JobEventNames.Annotations:
                AnnotationsJson = context?["annotations"] is JsonObject { Count: > 0 } ann ? ann.ToJsonString(JsonOptions.Compact) : null;
                break;
            case JobEventNames.Memo:
                ApplyMemo(context);
                break;
            case JobEventNames.DependencyAdd:
                if (JobspecSummary.Str(context?["description"]) is { } add && !_removedDependencies.Contains(add) && !_dependencies.Contains(add))
                {
                    _dependencies.Add(add);
                }
                break;
            case JobEventNames.DependencyRemove:
                if (JobspecSummary.Str(context?["description"]) is { } rm)
                {
                    _dependencies.Remove(rm);
                    _removedDependencies.Add(rm);
                }
                break;
        }
        return true;
    }

    private void Transition(JobState state, double timestamp)
    {
        State = state;
        StatesMask |= state;
        switch (state)
        {
            case JobState.Depend:
                TDepend = timestamp;
                break;
            case JobState.Run:
                TRun = timestamp;
                break;
            case JobState.Cleanup:
                TCleanup = timestamp;
                break;
            case JobState.Inactive:
                TInactive = timestamp;
                // An inactive job's jobspec can no longer be updated: drop the text.
                _jobspec = null;
                break;
        }
    }

    private void RevertToPriority(double timestamp)
    {
        if (State == JobState.Sched)
        {
            StatesMask &= ~JobState.Sched;
            Transition(JobState.Priority, timestamp);
        }
    }

    private void ApplyException(double timestamp, JsonObject? context)
    {
        var severity = (int)(JobspecSummary.Num(context?["severity"]) ?? 0);
        if (!ExceptionOccurred || severity < ExceptionSeverity)
        {
            ExceptionOccurred = true;
            ExceptionSeverity = severity;
            ExceptionType = JobspecSummary.Str(context?["type"]) ?? "";
            ExceptionNote = JobspecSummary.Str(context?["note"]) ?? "";
        }
        if (severity == 0 && (State & (JobState.Active | JobState.New)) != 0 && State != JobState.Cleanup)
        {
            Transition(JobState.Cleanup, timestamp);
        }
    }

    // jobspec-update context: dotted jobspec paths → new values (RFC 21); the listing follows them.
    private void ApplyJobspecUpdate(JsonObject? context)
    {
        if (context is null || _jobspec is null || JsonNode.Parse(_jobspec) is not JsonObject updated)
        {
            return;
        }
        foreach (var (key, value) in context)
        {
            var parts = key.Split('.');
            var node = updated;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (node[parts[i]] is not JsonObject next)
                {
                    next = [];
                    node[parts[i]] = next;
                }
                node = next;
            }
            node[parts[^1]] = value?.DeepClone();
        }
        SetJobspec(updated);
    }

    // memo context: keys merged into annotations.user; a null value deletes a key.
    private void ApplyMemo(JsonObject? context)
    {
        if (context is null)
        {
            return;
        }
        var annotations = AnnotationsJson is null ? [] : (JsonObject)JsonNode.Parse(AnnotationsJson)!;
        if (annotations["user"] is not JsonObject user)
        {
            user = [];
            annotations["user"] = user;
        }
        foreach (var (key, value) in context)
        {
            if (value is null)
            {
                user.Remove(key);
            }
            else
            {
                user[key] = value.DeepClone();
            }
        }
        if (user.Count == 0)
        {
            annotations.Remove("user");
        }
        AnnotationsJson = annotations.Count == 0 ? null : annotations.ToJsonString(JsonOptions.Compact);
    }

    /// <summary>The job ID as flux-core prints it in messages (decimal).</summary>
    public override string ToString() => Id.ToString(CultureInfo.InvariantCulture);
}
