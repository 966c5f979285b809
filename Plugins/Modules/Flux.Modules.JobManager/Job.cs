// One job as the job manager holds it: identity, state, eventlog (RFC 18/21), and pipeline progress.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobManager;

internal sealed partial class Job
{
    public Job(ulong id, uint userId, int urgency, int flags, double tSubmit, SubmittedJobspec jobspec)
    {
        Id = id;
        UserId = userId;
        Urgency = urgency;
        Flags = flags;
        TSubmit = tSubmit;
        Spec = jobspec;
        Key = Fluid.Encode(id, FluidEncoding.Kvs);
    }

    public ulong Id { get; }

    /// <summary>The job's KVS directory (job.0000.0000.0000.0000).</summary>
    public string Key { get; }

    public uint UserId { get; }

    public int Urgency { get; set; }

    public long Priority { get; set; } = -1;

    public int Flags { get; set; }

    public double TSubmit { get; }

    public JobState State { get; set; } = JobState.New;

    private SubmittedJobspec _spec = null!;
    private bool _shrunk;

    /// <summary>
    /// The jobspec as submitted, then as jobspec-update events changed it; the jobs of one bulk submission
    /// share one. An active job holds it (<see cref="SubmittedJobspec.Hold"/>), so its parsed tree is kept
    /// while any of them is active.
    /// </summary>
    public SubmittedJobspec Spec
    {
        get => _spec;
        set
        {
            if (!_shrunk)
            {
                value.Hold();
                _spec?.Release();
            }
            _spec = value;
        }
    }

    public string? Queue => Spec.Queue;

    public double Duration => Spec.Duration;

    /// <summary>R (RFC 20) as the UTF-8 JSON the scheduler gave: the manager only passes it on.</summary>
    public byte[]? R { get; set; }

    /// <summary>Writes <c>"R": R</c> (null when the job has none) into a request being written.</summary>
    public void WriteR(System.Text.Json.Utf8JsonWriter w)
    {
        w.WritePropertyName(nameof(R));
        if (R is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(R, skipInputValidation: true);
        }
    }

    // Each event's eventlog line (UTF-8, newline included), encoded once when it is posted: the same
    // bytes go to the KVS, to journal subscribers, and make the inactive job's compact eventlog.
    private List<byte[]>? _lines = [];
    private byte[]? _eventlogUtf8;

    /// <summary>The name of the last event.</summary>
    public string? LastEvent { get; private set; }

    /// <summary>Adds an event; returns its eventlog line.</summary>
    public byte[] AddEvent(EventlogEntry entry)
    {
        if (_lines is null)
        {
            throw new InvalidOperationException($"job {Id} is inactive: its eventlog is closed");
        }
        var line = entry.ToUtf8Line();
        _lines.Add(line);
        LastEvent = entry.Name;
        return line;
    }

    /// <summary>Every eventlog line (UTF-8, each ending in a newline).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> EventLines()
    {
        if (_lines is not null)
        {
            foreach (var l in _lines)
            {
                yield return l;
            }
            yield break;
        }
        var all = _eventlogUtf8!;
        var start = 0;
        while (start < all.Length)
        {
            var end = Array.IndexOf(all, (byte)'\n', start);
            yield return all.AsMemory(start, end - start + 1);
            start = end + 1;
        }
    }

    public bool AllocPending { get; set; }

    public bool HasResources { get; set; }

    public bool ExecActive { get; set; }

    public bool ExecRequested { get; set; }

    /// <summary>Restored in RUN at a restart: its start request asks job-exec to reattach (RFC 32), as restart.c sets job->reattach.</summary>
    public bool Reattach { get; set; }

    public bool CancelSent { get; set; }

    public bool FatalException { get; set; }

    public int? WaitStatus { get; set; }

    public string? ExceptionNote { get; set; }

    public string? ExceptionType { get; set; }

    public double TInactive { get; set; }

    public List<Message> Waiters { get; } = [];

    public bool Waitable => (Flags & (int)SubmitFlags.Waitable) != 0;

    /// <summary>The parts, end to end, in one array.</summary>
    public static byte[] Concat(List<byte[]> parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var p in parts)
        {
            p.CopyTo(all, at);
            at += p.Length;
        }
        return all;
    }

    /// <summary>Frees memory an inactive job no longer needs: its eventlog becomes one byte array.</summary>
    public void Shrink()
    {
        R = null;
        if (!_shrunk)
        {
            _shrunk = true;
            Spec.Release();
        }
        if (_lines is not null)
        {
            _eventlogUtf8 = Concat(_lines);
            _lines = null;
        }
    }
}

/// <summary>
/// A jobspec as submitted (UTF-8 JSON), with what the manager reads from it. Consecutive submissions
/// of the same text share one instance (a bulk submission is one jobspec), so the text is parsed and
/// redacted once for all of them.
/// </summary>
internal sealed class SubmittedJobspec
{
    private byte[]? _redacted;

    public SubmittedJobspec(byte[] utf8)
    {
        Utf8 = utf8;
        var sys = JsonNode.Parse(utf8)?["attributes"]?["system"];
        Queue = sys?["queue"]?.GetValue<string>();
        Duration = sys?["duration"]?.GetValue<double>() ?? 0;
        Dependencies = sys?["dependencies"] as JsonArray;
        DependencyRefusal = DependencyShape.Refusal(sys);
    }

    public byte[] Utf8 { get; }

    public string? Queue { get; }

    public double Duration { get; }

    /// <summary>attributes.system.dependencies (RFC 26), for the job.dependency.SCHEME calls.</summary>
    public JsonArray? Dependencies { get; }

    /// <summary>Why the dependencies array is malformed (<see cref="DependencyShape"/>), or null.</summary>
    public string? DependencyRefusal { get; }

    private JsonNode? _tree;

    // The active jobs using this jobspec.
    private int _holders;

    /// <summary>The redacted jobspec parsed once, lent to jobtap calls' IN (JobManagerModule.JobArgs).</summary>
    public JsonNode Tree => _tree ??= JsonNode.Parse(Redacted)!;

    /// <summary>An active job uses this jobspec.</summary>
    public void Hold() => _holders++;

    /// <summary>
    /// A job stopped using this jobspec (it is inactive, or its jobspec was updated). When no active job
    /// uses it, the parsed tree is freed; the next user parses it again. Dropping it whenever one job of
    /// a burst ended made every job of the burst parse it again.
    /// </summary>
    public void Release()
    {
        if (--_holders <= 0)
        {
            _holders = 0;
            if (_tree?.Parent is null)
            {
                _tree = null;
            }
        }
    }

    /// <summary>The jobspec without the job's environment, as the scheduler gets it (RFC 27).</summary>
    public byte[] Redacted => _redacted ??= Redact(Utf8);

    private static byte[] Redact(byte[] utf8)
    {
        var copy = JsonNode.Parse(utf8)!.AsObject();
        if (copy["attributes"]?["system"] is JsonObject sys && sys.ContainsKey("environment"))
        {
            sys["environment"] = new JsonObject();
        }
        return System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString());
    }
}
