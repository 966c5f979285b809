// RFC 27 requests from the job manager (sched.alloc, cancel, free, prioritize), sched.resource-status and feasibility.check.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.SchedSimple;

public sealed partial class SchedSimpleModule
{
    private const int Success = 0;
    private const int Annotate = 1;
    private const int Deny = 2;
    private const int Cancel = 3;

    private readonly SortedSet<PendingJob> _pending = new(PendingJob.Order);
    private readonly Dictionary<ulong, PendingJob> _pendingById = [];

    // {id, priority, userid, t_submit, jobspec}: answered on its stream by id; infeasible requests are denied at once.
    private ValueTask OnAlloc(Message msg)
    {
        // One parse gives the request (a tree built lazily over it) and the jobspec's own bytes.
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(msg.PayloadWithoutNul.Span);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"sched.alloc: malformed JSON payload: {ex.Message}", ex);
        }
        var o = root.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(root)!
            : throw new FluxException(Errno.EPROTO, "sched.alloc: payload is not a JSON object");
        var id = Id(o);
        if (_pendingById.ContainsKey(id))
        {
            throw new FluxException(Errno.EEXIST, $"sched.alloc: job {Fluid.Encode(id, FluidEncoding.F58)} is already pending");
        }
        ResourceRequest resources;
        try
        {
            resources = ParseRequest(o, root);
        }
        catch (FluxException ex)
        {
            Answer(msg, Response(id, Deny, note: ex.Message), final: true);
            return ValueTask.CompletedTask;
        }
        if (_pool.Infeasible(resources) is { } why)
        {
            Answer(msg, Response(id, Deny, note: why), final: true);
            return ValueTask.CompletedTask;
        }
        var job = new PendingJob(id, Priority(o["priority"]), (uint)Number(o, "userid"), Number(o, "t_submit"), msg, resources);
        _pending.Add(job);
        _pendingById[id] = job;
        SchedulePass();
        return ValueTask.CompletedTask;
    }

    // The last jobspec seen (as sent) and its request: a bulk submission's jobs are parsed once.
    private (byte[] Jobspec, ResourceRequest Request)? _lastRequest;

    private ResourceRequest ParseRequest(JsonObject o, JsonElement root)
    {
        if (!root.TryGetProperty("jobspec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return ResourceRequest.Parse(o["jobspec"]);
        }
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(spec);
        if (_lastRequest is { } last && raw.SequenceEqual(last.Jobspec))
        {
            return last.Request;
        }
        var parsed = ResourceRequest.Parse(o["jobspec"]);
        _lastRequest = (raw.ToArray(), parsed);
        return parsed;
    }

    // {id}, no response: the pending alloc gets CANCEL.
    private ValueTask OnCancel(Message msg) => Quietly(msg, o =>
    {
        var id = Id(o);
        if (_pendingById.TryGetValue(id, out var job))
        {
            Remove(job);
            Answer(job.Request, Response(id, Cancel), final: true);
        }
    });

    // {id, R, final}, no response: release, then schedule.
    private ValueTask OnFree(Message msg) => Quietly(msg, o =>
    {
        var id = Id(o);
        var final = o["final"] is JsonValue f && f.GetValueKind() == JsonValueKind.True;
        // The final free releases whatever the job still holds, which the pool knows: R need not be
        // parsed (a partial free names whole ranks, and those are read from R).
        var r = !final && o["R"] is JsonObject rj ? Rv1.Parse(rj) : null;
        _pool.Free(id, r, final, log);
        if (log.IsEnabled(LogLevel.Debug))
        {
            var (job, text) = (Fluid.Encode(id, FluidEncoding.F58), r?.ToShortString() ?? "everything");
            SchedSimpleLog.Free(log, job, text, final ? " (final)" : "");
        }
        SchedulePass();
    });

    // {jobs: [[id, priority], ...]}, no response: reorder the queue, then schedule.
    private ValueTask OnPrioritize(Message msg) => Quietly(msg, o =>
    {
        foreach (var entry in o["jobs"] as JsonArray ?? throw new FluxException(Errno.EPROTO, "jobs must be an array"))
        {
            if (entry is not JsonArray { Count: 2 } pair)
            {
                throw new FluxException(Errno.EPROTO, "jobs must hold [id, priority] pairs");
            }
            if (_pendingById.TryGetValue(pair[0]!.GetValue<ulong>(), out var job))
            {
                _pending.Remove(job);
                job.Priority = Priority(pair[1]);
                _pending.Add(job);
            }
        }
        SchedulePass();
    });

    private ValueTask OnResourceStatus(Message msg)
    {
        flux.Respond(msg, _pool.StatusJson());
        return ValueTask.CompletedTask;
    }

    // {jobspec}: empty success, or EINVAL with the reason a DENY would give.
    private ValueTask OnFeasibilityCheck(Message msg)
    {
        var resources = ResourceRequest.Parse(msg.GetJson()["jobspec"]);
        if (_pool.Infeasible(resources) is { } why)
        {
            throw new FluxException(Errno.EINVAL, why);
        }
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private void Remove(PendingJob job)
    {
        _pending.Remove(job);
        _pendingById.Remove(job.Id);
    }

    // Requests of a job manager that went away: nobody is left to answer.
    private void DropPending()
    {
        _pending.Clear();
        _pendingById.Clear();
    }

    private static JsonObject Response(ulong id, int type, string? note = null, JsonObject? annotations = null)
    {
        var o = new JsonObject { ["id"] = id, ["type"] = type };
        if (note is not null)
        {
            o["note"] = note;
        }
        if (annotations is not null)
        {
            o["annotations"] = annotations;
        }
        return o;
    }

    // One response on an alloc stream; the final one (SUCCESS, DENY, CANCEL) is followed by ENODATA.
    private void Answer(Message request, JsonObject payload, bool final) =>
        Answer(request, Message.EncodeJson(payload, static (w, p) => p.WriteTo(w)), final);

    /// <summary>As the JSON form, with the payload already encoded (NUL-terminated UTF-8).</summary>
    private void Answer(Message request, byte[] payload, bool final)
    {
        if (!final && !request.IsStreaming)
        {
            return;
        }
        try
        {
            flux.RespondRaw(request, payload);
            if (final && request.IsStreaming)
            {
                flux.RespondError(request, Errno.ENODATA);
            }
        }
        catch (FluxException ex)
        {
            SchedSimpleLog.AnswerFailed(log, request.Topic, ex.Message);
        }
    }

    // NORESPONSE requests cannot carry an error back, so a bad one is logged.
    private ValueTask Quietly(Message msg, Action<JsonObject> work)
    {
        try
        {
            work(msg.GetJson());
        }
        catch (Exception ex) when (ex is FluxException or InvalidOperationException or FormatException or JsonException)
        {
            SchedSimpleLog.RequestFailed(log, msg.Topic, ex.Message);
        }
        return ValueTask.CompletedTask;
    }

    private static ulong Id(JsonObject o) =>
        o["id"] is JsonValue v && v.TryGetValue(out ulong id) ? id : throw new FluxException(Errno.EPROTO, "missing or invalid job id");

    private static uint Priority(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out long p) ? (uint)Math.Clamp(p, 0, uint.MaxValue) : 0;

    private static double Number(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out double d) ? d : 0;
}
