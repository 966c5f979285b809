// The scheduler side of RFC 27: hello, ready, alloc (a streaming request per job), cancel, free,
// prioritize.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private const int AllocSuccess = 0;
    private const int AllocAnnotate = 1;
    private const int AllocDeny = 2;
    private const int AllocCancel = 3;

    private bool _schedReady;

    /// <summary>Scheduling order: priority descending, then id (oldest first).</summary>
    private static readonly Comparer<Job> SchedOrder = Comparer<Job>.Create((a, b) =>
        a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Id.CompareTo(b.Id));

    /// <summary>
    /// Jobs waiting for an alloc request, one set per queue (the key is the queue name, "" for the
    /// anonymous queue) in <see cref="SchedOrder"/>, so that a stopped queue's jobs cost nothing
    /// while they wait.
    /// </summary>
    private readonly Dictionary<string, SortedSet<Job>> _schedCandidates = new(StringComparer.Ordinal);

    private SortedSet<Job> CandidatesOf(Job job)
    {
        var key = job.Queue ?? string.Empty;
        if (!_schedCandidates.TryGetValue(key, out var set))
        {
            set = new SortedSet<Job>(SchedOrder);
            _schedCandidates[key] = set;
        }
        return set;
    }

    /// <summary>Makes a job eligible for an alloc request (after it entered SCHED or lost its pending alloc).</summary>
    private void Enqueue(Job job)
    {
        if (job.State == JobState.Sched && !job.AllocPending && job.Priority > 0)
        {
            CandidatesOf(job).Add(job);
        }
    }

    /// <summary>Takes a job out of the candidates (before an event may change its priority or state).</summary>
    private void Dequeue(Job job)
    {
        if (_schedCandidates.TryGetValue(job.Queue ?? string.Empty, out var set))
        {
            set.Remove(job);
        }
    }

    /// <summary>The first candidate of all started queues, in scheduling order, or null.</summary>
    private Job? NextCandidate()
    {
        Job? best = null;
        foreach (var (queue, set) in _schedCandidates)
        {
            if (set.Min is { } head && (best is null || SchedOrder.Compare(head, best) < 0) && QueueStarted(queue.Length == 0 ? null : queue))
            {
                best = head;
            }
        }
        return best;
    }
    private int _schedLimit;
    private int _allocOutstanding;

    private ValueTask OnSchedHello(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "job-manager.sched-hello is a streaming RPC");
        }
        _schedReady = false;
        foreach (var job in _jobs.Values.Where(j => j.HasResources).OrderBy(j => j.Id))
        {
            flux.Respond(msg, new JsonObject
            {
                ["id"] = job.Id,
                ["priority"] = job.Priority,
                ["userid"] = job.UserId,
                ["t_submit"] = job.TSubmit,
            });
        }
        HousekeepingHello(msg, msg.GetJsonOrNull()?["partial-ok"]?.GetValue<bool>() ?? false);
        flux.RespondError(msg, Errno.ENODATA);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnSchedReady(Message msg)
    {
        var req = msg.GetJson();
        var mode = req["mode"]?.GetValue<string>() ?? "unlimited";
        _schedLimit = mode switch
        {
            "unlimited" => 0,
            "limited" => req["limit"]?.GetValue<int>() is int n and > 0 ? n : throw new FluxException(Errno.EPROTO, "limited mode needs a positive limit"),
            _ => throw new FluxException(Errno.EPROTO, $"unknown scheduler mode '{mode}'"),
        };
        // Allocations in flight belong to the scheduler that went away: they will be sent again.
        foreach (var j in _jobs.Values.Where(j => j.AllocPending))
        {
            j.AllocPending = false;
        }
        foreach (var set in _schedCandidates.Values)
        {
            set.Clear();
        }
        foreach (var j in _jobs.Values)
        {
            Enqueue(j);
        }
        _allocOutstanding = 0;
        _schedReady = true;
        flux.Respond(msg, new JsonObject { ["count"] = _jobs.Values.Count(j => j.State == JobState.Sched) });
        JobManagerLog.SchedulerReady(log, _schedLimit == 0 ? "unlimited" : $"limited={_schedLimit}");
        TryAlloc();
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends alloc requests for the highest-priority schedulable jobs the scheduler's mode allows.</summary>
    internal void TryAlloc()
    {
        if (!_schedReady)
        {
            return;
        }
        if (_schedLimit > 0 && _allocOutstanding >= _schedLimit)
        {
            return;
        }
        // Highest priority first, then oldest (RFC 27); stopped queues' jobs stay where they are.
        while (NextCandidate() is { } job)
        {
            if (_schedLimit > 0 && _allocOutstanding >= _schedLimit)
            {
                break;
            }
            Dequeue(job);
            if (job.State != JobState.Sched || job.AllocPending || job.Priority <= 0)
            {
                continue;
            }
            flux.Background(AllocAsync(job), "sched.alloc", onFault: ex => OnAllocFault(job, ex));
        }
    }

    private async Task AllocAsync(Job job)
    {
        job.AllocPending = true;
        job.CancelSent = false;
        _allocOutstanding++;
        var req = new Message(MessageType.Request) { Topic = "sched.alloc", NodeIdTarget = NodeId.Any };
        req.SetPayload(Message.EncodeJson(job, static (w, job) =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", job.Id);
            w.WriteNumber("priority", job.Priority);
            w.WriteNumber("userid", job.UserId);
            w.WriteNumber("t_submit", job.TSubmit);
            w.WritePropertyName("jobspec");
            w.WriteRawValue(job.Spec.Redacted, skipInputValidation: true);
            w.WriteEndObject();
        }));
        try
        {
            await foreach (var m in flux.StreamAsync(req).ConfigureAwait(true))
            {
                var r = AllocResponse.Read(m);
                if (r.Type == AllocAnnotate)
                {
                    Annotate(job, r.Annotations);
                    continue;
                }
                job.AllocPending = false;
                _allocOutstanding--;
                await OnAllocFinal(job, r).ConfigureAwait(true);
                return;
            }
            throw new FluxException(Errno.EPROTO, "sched.alloc stream ended without a final response");
        }
        catch (FluxException ex)
        {
            if (job.AllocPending)
            {
                job.AllocPending = false;
                _allocOutstanding--;
            }
            // RFC 27: an error from the scheduler suspends scheduling until the next hello/ready.
            _schedReady = false;
            Enqueue(job);
            JobManagerLog.AllocFailed(log, job.Id, ex.Message);
            if (job.State == JobState.Cleanup)
            {
                Act(job);
            }
        }
    }

    // An alloc task that failed other than by an RFC 27 error: the job must not wait in SCHED for an
    // answer that will never come, so the alloc is given up and the job gets a fatal exception.
    private void OnAllocFault(Job job, Exception ex)
    {
        if (job.AllocPending)
        {
            job.AllocPending = false;
            _allocOutstanding--;
        }
        if ((job.State & JobState.Active) != 0 && !job.FatalException)
        {
            RaiseException(job, "alloc", 0, "sched.alloc: " + ex.Message, 0);
        }
        TryAlloc();
    }

    private async Task OnAllocFinal(Job job, AllocResponse r)
    {
        switch (r.Type)
        {
            case AllocSuccess:
                // A scheduler may send R with SUCCESS; otherwise it is read from where RFC 27 says it is.
                job.R = r.R ?? (await flux.KvsGetStringAsync(job.Key + ".R").ConfigureAwait(true) is { } text
                    ? System.Text.Encoding.UTF8.GetBytes(text)
                    : null);
                var ctx = new JsonObject();
                if (r.Annotations is { } ann)
                {
                    ctx["annotations"] = ann;
                }
                if (job.State == JobState.Sched)
                {
                    Post(job, JobEventNames.Alloc, ctx);
                }
                else
                {
                    // Canceled while the allocation was on its way: give the resources back.
                    job.HasResources = true;
                    Act(job);
                }
                break;
            case AllocDeny:
                RaiseException(job, "alloc", 0, r.Note ?? "the scheduler denied the allocation", 0);
                break;
            case AllocCancel:
                Enqueue(job);
                Act(job);
                break;
            default:
                throw new FluxException(Errno.EPROTO, $"sched.alloc: unknown response type {r.Type}");
        }
        TryAlloc();
    }

    private void Annotate(Job job, JsonObject? annotations)
    {
        if (annotations is null)
        {
            return;
        }
        var entry = new EventlogEntry(Now, JobEventNames.Annotations, new JsonObject { ["annotations"] = annotations });
        SendJournal(job, entry.Name, entry.ToUtf8Line());
    }

    private void CancelAlloc(Job job)
    {
        if (job.CancelSent)
        {
            return;
        }
        job.CancelSent = true;
        var m = Message.Request("sched.cancel", new JsonObject { ["id"] = job.Id });
        m.Flags |= MessageFlags.NoResponse;
        flux.Send(m);
    }

    private void Prioritize(Job job)
    {
        var m = Message.Request("sched.prioritize", new JsonObject { ["jobs"] = new JsonArray(new JsonArray(job.Id, job.Priority)) });
        m.Flags |= MessageFlags.NoResponse;
        flux.Send(m);
    }

    private void FreeResources(Job job)
    {
        if (!StartHousekeeping(job))
        {
            SendSchedFree(job.Id, job.R, final: true);
        }
        Post(job, JobEventNames.Free, null);
    }

    /// <summary>Gives resources back to the scheduler (RFC 27 sched.free): all of a job's, or part of them with final=false.</summary>
    private void SendSchedFree(ulong id, byte[]? r, bool final)
    {
        var m = new Message(MessageType.Request) { Topic = "sched.free", NodeIdTarget = NodeId.Any };
        m.SetPayload(Message.EncodeJson((id, r, final), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", s.id);
            w.WritePropertyName("R");
            if (s.r is null)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteRawValue(s.r, skipInputValidation: true);
            }
            w.WriteBoolean("final", s.final);
            w.WriteEndObject();
        }));
        m.Flags |= MessageFlags.NoResponse;
        try
        {
            flux.Send(m);
        }
        catch (FluxException ex)
        {
            JobManagerLog.FreeFailed(log, id, ex.Message);
        }
    }
}

/// <summary>One sched.alloc response (RFC 27), read without a tree: R is kept as its UTF-8 text.</summary>
internal readonly record struct AllocResponse(int Type, byte[]? R, JsonObject? Annotations, string? Note)
{
    public static AllocResponse Read(Message m)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(m.PayloadWithoutNul);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetInt32() : -1;
            byte[]? r = root.TryGetProperty(nameof(R), out var rv) && rv.ValueKind == System.Text.Json.JsonValueKind.Object
                ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(rv).ToArray()
                : null;
            var annotations = root.TryGetProperty("annotations", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.Object
                ? JsonNode.Parse(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(a)) as JsonObject
                : null;
            var note = root.TryGetProperty("note", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
            return new AllocResponse(type, r, annotations, note);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new FluxException(Errno.EPROTO, $"sched.alloc: malformed response: {ex.Message}", ex);
        }
    }
}
