// One job-list entry with the fields flux-core's flux.job.JobInfo computes (status, runtime, INFO, ...).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Cli.Jobs;

/// <summary>
/// A job as returned by <c>job-list.list</c>, seen through the field names of flux-jobs(1). Values
/// are what Python's JobInfo would hold so that formats print alike: integers as long, times and
/// durations as double, flags as bool, and <c>""</c> for what is not known (a pending job's nnodes,
/// an active job's result). <see cref="Get"/> answers a (possibly dotted) field name.
/// </summary>
internal sealed class JobRecord
{
    private readonly JsonObject _job;
    private readonly Func<uint, string> _userName;
    private readonly double _now;

    /// <summary>Wraps a job object; <paramref name="userName"/> maps uids to names, <paramref name="now"/> is the Unix time used for runtime.</summary>
    public JobRecord(JsonObject job, Func<uint, string> userName, double now)
    {
        ArgumentNullException.ThrowIfNull(job);
        // Parsed values convert between number types freely; values built in memory do not.
        _job = (JsonObject)JsonNode.Parse(job.ToJsonString())!;
        _userName = userName;
        _now = now;
        Id = _job["id"] is JsonValue v && v.TryGetValue(out ulong id) ? id : 0;
    }

    /// <summary>A value Python would hold as an empty sub-object (missing annotation): prints as "".</summary>
    public static readonly object Empty = new EmptyValue();

    public ulong Id { get; }

    public JsonObject Json => _job;

    /// <summary>The job state bit (RFC 21), <see cref="JobState.None"/> when the entry has none.</summary>
    public JobState StateId => (JobState)(Long("state") ?? 0);

    /// <summary>The result bit of an inactive job, null otherwise.</summary>
    public JobResult? ResultId => (JobResult?)Long("result");

    public string State => JobStateNames.Name(StateId);

    public string Result => ResultId is { } r ? JobStateNames.Name(r) : "";

    public double TRun => Double("t_run") ?? 0.0;

    public double TCleanup => Double("t_cleanup") ?? 0.0;

    public double Runtime => TCleanup > 0 && TRun > 0 ? TCleanup - TRun : TRun > 0 ? _now - TRun : 0.0;

    /// <summary>The value of a flux-jobs field; <see cref="FormatException"/> for a name that is not one.</summary>
    public object Get(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.StartsWith("annotations.", StringComparison.Ordinal))
        {
            return Annotation(_job["annotations"], field["annotations.".Length..]);
        }
        if (field.StartsWith("sched.", StringComparison.Ordinal) || field.StartsWith("user.", StringComparison.Ordinal))
        {
            return Annotation(_job["annotations"], field);
        }
        return field switch
        {
            "id" => new JobIdValue(Id),
            "id.dec" => Id.ToString(CultureInfo.InvariantCulture),
            "id.hex" => Fluid.Encode(Id, FluidEncoding.Hex),
            "id.f58" => Fluid.Encode(Id, FluidEncoding.F58),
            "id.f58plain" => Fluid.Encode(Id, FluidEncoding.F58Plain),
            "id.kvs" => Fluid.Encode(Id, FluidEncoding.Kvs),
            "id.dothex" => Fluid.Encode(Id, FluidEncoding.Dothex),
            "id.words" => Fluid.Encode(Id, FluidEncoding.Words),
            "id.emoji" => Fluid.Encode(Id, FluidEncoding.Emoji),
            "userid" => (object?)Long("userid") ?? "",
            "username" => Long("userid") is { } uid ? _userName((uint)uid) : "",
            "urgency" => (object?)Long("urgency") ?? "",
            "priority" => (object?)Long("priority") ?? "",
            "state" => State,
            "state_single" => JobStateNames.Name(StateId, letter: true),
            "state_emoji" => StateEmoji(StateId),
            "name" or "cwd" or "queue" or "project" or "bank" or "ranks" or "nodelist" => Str(field),
            "ntasks" or "ncores" or "nnodes" or "waitstatus" => (object?)Long(field) ?? "",
            "duration" or "expiration" or "t_depend" or "t_run" or "t_cleanup" or "t_inactive" => Double(field) ?? 0.0,
            "t_submit" => Double("t_submit") ?? 0.0,
            "success" => Bool("success") is { } s ? s : "",
            "result" => Result,
            "result_abbrev" => ResultId is { } r ? JobStateNames.Name(r, abbrev: true) : "",
            "result_emoji" => ResultEmoji(ResultId),
            "status" => Status(abbrev: false),
            "status_abbrev" => Status(abbrev: true),
            "status_emoji" => StateId == JobState.Inactive ? ResultEmoji(ResultId) : StateEmoji(StateId),
            "returncode" => (object?)ReturnCode ?? "",
            "exception.occurred" => Bool("exception_occurred") is { } o ? o : "",
            "exception.severity" => (object?)Long("exception_severity") ?? "",
            "exception.type" => Str("exception_type"),
            "exception.note" => Str("exception_note"),
            "runtime" => Runtime,
            "t_remaining" => Remaining,
            "annotations" => AnnotationObject(_job["annotations"] as JsonObject),
            "sched" or "user" => Annotation(_job["annotations"], field),
            "dependencies" => string.Join(",", Dependencies),
            "contextual_info" => ContextualInfo,
            "contextual_time" => (StateId & JobState.Pending) != 0 ? Double("duration") ?? 0.0 : Runtime,
            "inactive_reason" => InactiveReason,
            _ => throw new FormatException($"Unknown format field: {field}"),
        };
    }

    /// <summary>The dependencies as flux-jobs lists them (a begin-time shown as <c>begin@HH:MM</c>).</summary>
    public IReadOnlyList<string> Dependencies
    {
        get
        {
            var list = new List<string>();
            foreach (var d in _job["dependencies"] as JsonArray ?? [])
            {
                var dep = d?.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : d?.ToJsonString() ?? "";
                if (dep.StartsWith("begin-time=", StringComparison.Ordinal)
                    && double.TryParse(dep["begin-time=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ts))
                {
                    var t = PyTime.Local(ts);
                    dep = t.Date == DateTimeOffset.Now.Date ? "begin@" + PyTime.Strftime(t, "%H:%M") : "begin@" + PyTime.Strftime(t, "%b%d-%H:%M");
                    if (t.Second > 0)
                    {
                        dep += ":" + t.Second.ToString("00", CultureInfo.InvariantCulture);
                    }
                }
                list.Add(dep);
            }
            return list;
        }
    }

    /// <summary>
    /// flux-core's returncode: the highest shell exit code, minus the signal number when a shell was
    /// killed, -128 for a job canceled before it ran, 1 for one that failed before it ran; null while active.
    /// </summary>
    public long? ReturnCode
    {
        get
        {
            if (Long("waitstatus") is not { } status)
            {
                return ResultId switch
                {
                    JobResult.Canceled => -128,
                    JobResult.Failed => 1,
                    _ => null,
                };
            }
            var sig = status & 0x7f;
            if (sig != 0 && sig != 0x7f)
            {
                return -sig;
            }
            return sig == 0 ? (status >> 8) & 0xff : null;
        }
    }

    private string Status(bool abbrev) => (StateId & JobState.Active) != 0
        ? JobStateNames.Name(StateId, abbrev)
        : ResultId is { } r ? JobStateNames.Name(r, abbrev) : "";

    private double Remaining
    {
        get
        {
            if (StateId != JobState.Run)
            {
                return 0.0;
            }
            var left = (Double("expiration") ?? 0.0) - _now;
            return left < 0 ? 0.0 : left;
        }
    }

    // The INFO column: why a job waits, or where it runs/ran.
    private string ContextualInfo
    {
        get
        {
            switch (StateId)
            {
                case JobState.Priority:
                    return "priority-wait";
                case JobState.Depend:
                    return "depends:" + string.Join(",", Dependencies);
                case JobState.Sched:
                    var estimate = Annotation(_job["annotations"], "sched.t_estimate");
                    if (estimate is long or double)
                    {
                        var eta = System.Convert.ToDouble(estimate, CultureInfo.InvariantCulture) - _now;
                        return "eta:" + (eta < 0 ? "now" : PyTime.Fsd(eta));
                    }
                    if (Long("urgency") == 0)
                    {
                        return "held";
                    }
                    return Long("priority") == 0 ? "priority-hold" : "";
                default:
                    return Str("nodelist");
            }
        }
    }

    // How an inactive job ended, in words (flux-core's inactive_reason).
    private string InactiveReason
    {
        get
        {
            if (StateId != JobState.Inactive)
            {
                return "";
            }
            var occurred = Bool("exception_occurred") == true;
            var type = Str("exception_type");
            var note = Str("exception_note");
            switch (Result)
            {
                case "CANCELED":
                    return occurred && type == "cancel" && note.Length > 0 ? "Canceled: " + note : "Canceled";
                case "FAILED":
                    if (occurred && type != "exec" && Long("exception_severity") == 0)
                    {
                        return "Exception: type=" + type + (note.Length > 0 ? " note=" + note : "");
                    }
                    var rc = ReturnCode ?? 0;
                    return rc switch
                    {
                        > 128 => Flux.Abstractions.Signals.Describe((int)(rc - 128)),
                        126 => "Command invoked cannot execute",
                        127 => "command not found",
                        128 => "Invalid argument to exit",
                        _ => "Exit " + rc.ToString(CultureInfo.InvariantCulture),
                    };
                case "TIMEOUT":
                    return "Timeout";
                default:
                    return "Exit " + (ReturnCode ?? 0).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private static string StateEmoji(JobState state) => state switch
    {
        JobState.New => "\U0001F381",
        JobState.Depend => "\U0001F6D1",
        JobState.Priority => "\U0001F6A6",
        JobState.Sched => "\U0001F4C5",
        JobState.Run => "\U0001F3C3",
        JobState.Cleanup => "\U0001F5D1",
        JobState.Inactive => "\U0001F480",
        _ => "",
    };

    private static string ResultEmoji(JobResult? result) => result switch
    {
        JobResult.Completed => "\U0001F600",
        JobResult.Failed => "\U0001F4A9",
        JobResult.Canceled => "\U0001F4A5",
        JobResult.Timeout => "\u231B",
        _ => "\u3000",
    };

    // annotations.X.Y: a sub-object prints as JSON, a leaf as itself, a missing key as "".
    private static object Annotation(JsonNode? annotations, string path)
    {
        var node = annotations;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node) || node is null)
            {
                return Empty;
            }
        }
        return node switch
        {
            JsonObject o => AnnotationObject(o),
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => v.TryGetValue(out long l) ? l : (object)v.GetValue<double>(),
                _ => Empty,
            },
            _ => PyFormat.PyJson(node),
        };
    }

    private static string AnnotationObject(JsonObject? o) => o is { Count: > 0 } ? PyFormat.PyJson(o) : "";

    private long? Long(string key) => _job[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? v.TryGetValue(out long l) ? l : (long)v.GetValue<double>()
        : null;

    private double? Double(string key) => _job[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private bool? Bool(string key) => _job[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    private string Str(string key) => _job[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    /// <summary>Python's EmptyObject: a missing annotation, formatted as "" whatever the numeric spec.</summary>
    private sealed class EmptyValue
    {
        public override string ToString() => "";
    }

    /// <summary>A job ID field: prints as F58 on its own, as the integer under a format spec (Python's JobID is an int).</summary>
    internal sealed record JobIdValue(ulong Id)
    {
        public override string ToString() => Fluid.Encode(Id, FluidEncoding.F58);
    }
}
