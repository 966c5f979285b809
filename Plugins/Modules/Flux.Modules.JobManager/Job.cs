// One job as the job manager holds it: identity, state, eventlog (RFC 18/21), and pipeline progress.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Formats;

namespace Flux.Modules.JobManager;

internal sealed class Job
{
    /// <param name="parsed">The jobspec already parsed from <paramref name="jobspecUtf8"/>, if the caller has it.</param>
    public Job(ulong id, uint userId, int urgency, int flags, double tSubmit, byte[] jobspecUtf8, JsonObject? parsed = null)
    {
        Id = id;
        UserId = userId;
        Urgency = urgency;
        Flags = flags;
        TSubmit = tSubmit;
        _jobspecUtf8 = jobspecUtf8;
        _jobspec = parsed;
        Key = Fluid.Encode(id, FluidEncoding.Kvs);
        var sys = Jobspec["attributes"]?["system"];
        Queue = sys?["queue"]?.GetValue<string>();
        Duration = sys?["duration"]?.GetValue<double>() ?? 0;
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

    /// <summary>The jobspec as UTF-8 JSON: half the memory of a string, and what the parser reads.</summary>
    private readonly byte[] _jobspecUtf8;

    private JsonObject? _jobspec;

    public JsonObject Jobspec => _jobspec ??= JsonNode.Parse(_jobspecUtf8)!.AsObject();

    /// <summary>The jobspec as submitted (UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> JobspecUtf8 => _jobspecUtf8;

    public string? Queue { get; }

    public double Duration { get; }

    public JsonObject? R { get; set; }

    private List<EventlogEntry>? _events = [];
    private byte[]? _eventlogUtf8;

    /// <summary>The eventlog; an inactive job keeps it as compact text and parses it on demand.</summary>
    public List<EventlogEntry> Events => _events ?? [.. Eventlog.Parse(System.Text.Encoding.UTF8.GetString(_eventlogUtf8!))];

    public bool AllocPending { get; set; }

    public bool HasResources { get; set; }

    public bool ExecActive { get; set; }

    public bool ExecRequested { get; set; }

    public bool CancelSent { get; set; }

    public bool FatalException { get; set; }

    public int? WaitStatus { get; set; }

    public string? ExceptionNote { get; set; }

    public string? ExceptionType { get; set; }

    public double TInactive { get; set; }

    public List<Message> Waiters { get; } = [];

    public bool Waitable => (Flags & SubmitFlags.Waitable) != 0;

    /// <summary>Frees memory an inactive job no longer needs (the jobspec text stays for listings).</summary>
    public void Shrink()
    {
        _jobspec = null;
        R = null;
        if (_events is not null)
        {
            _eventlogUtf8 = System.Text.Encoding.UTF8.GetBytes(Eventlog.Format(_events));
            _events = null;
        }
    }
}

internal static class SubmitFlags
{
    public const int Debug = 2;
    public const int Waitable = 4;
    public const int NoValidate = 8;
}
