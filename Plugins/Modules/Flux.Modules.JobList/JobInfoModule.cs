// The job-info module: job data from the KVS (RFC 16) with access checks, and eventlog watches (RFC 18).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobList;

/// <summary>
/// Serves <c>job-info.lookup {id, keys, flags}</c>, answering <c>{id, KEY: value}</c> with each
/// <c>job.ID.KEY</c> of the KVS as a string (flag 1 decodes <c>jobspec</c> and <c>R</c> to JSON, flag 2
/// applies the eventlog's <c>jobspec-update</c> and <c>resource-update</c> events to them), and the
/// streaming <c>job-info.eventlog-watch {id, path?, flags?}</c>, one <c>{event}</c> response per
/// eventlog line until the job's eventlog reaches <c>clean</c> (or the guest log is final), a
/// <c>job-info.eventlog-watch-cancel {matchtag}</c>, or the client's disconnect. A guest may read
/// only its own jobs: the owner is the <c>userid</c> of the job's <c>submit</c> event.
/// </summary>
[FluxPlugin("job-info", PluginKind.Module)]
public sealed class JobInfoModule(IFlux flux, ILogger<JobInfoModule> log) : IFluxModule
{
    /// <summary>flux-core's FLUX_JOB_LOOKUP_JSON_DECODE.</summary>
    public const int LookupJsonDecode = 1;

    /// <summary>flux-core's FLUX_JOB_LOOKUP_CURRENT.</summary>
    public const int LookupCurrent = 2;

    private readonly List<EventlogWatch> _watches = [];

    /// <inheritdoc />
    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, "job-info.lookup", Lookup, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-info.eventlog-watch", Watch, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-info.eventlog-watch-cancel", Cancel, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-info.disconnect", Disconnect, FluxRole.All);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        foreach (var w in _watches.ToList())
        {
            w.Stop(Errno.ENOSYS, "job-info module is unloading");
        }
        _watches.Clear();
        // Whatever watches were still open in kvs-watch end with this module.
        flux.Send(JobListModule.Disconnect("kvs-watch"));
        return ValueTask.CompletedTask;
    }

    /// <summary>The KVS key of a job's entry (RFC 16): <c>job.0000.0004.2c00.0000.KEY</c>.</summary>
    internal static string JobKey(ulong id, string key) => Fluid.Encode(id, FluidEncoding.Kvs) + "." + key;

    /// <summary>
    /// The job's eventlog and owner; ENOENT when there is no such job, EPERM when a guest asks about
    /// another user's job.
    /// </summary>
    internal static async Task<(string Eventlog, uint Owner)> CheckAccessAsync(IFlux flux, ulong id, Message request)
    {
        var text = await flux.KvsGetStringAsync(JobKey(id, "eventlog")) ?? throw new FluxException(Errno.ENOENT, "unknown job");
        var owner = uint.MaxValue;
        foreach (var e in Eventlog.Parse(text))
        {
            if (e.Name == "submit" && e.Context?["userid"] is JsonValue u && u.TryGetValue(out uint uid))
            {
                owner = uid;
                break;
            }
        }
        if ((request.RoleMask & FluxRole.Owner) == 0 && owner != request.UserId)
        {
            throw new FluxException(Errno.EPERM, "access denied: the job belongs to another user");
        }
        return (text, owner);
    }

    private async ValueTask Lookup(Message request)
    {
        var o = request.GetJson();
        var id = ParseId(o);
        if (o["keys"] is not JsonArray keys || keys.Count == 0)
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: keys must be a non-empty array");
        }
        var flags = (int)(JobspecSummary.Num(o["flags"]) ?? 0);
        if ((flags & ~(LookupJsonDecode | LookupCurrent)) != 0)
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: unknown flags");
        }
        var (eventlog, _) = await CheckAccessAsync(flux, id, request);
        var response = new JsonObject { ["id"] = id };
        foreach (var k in keys)
        {
            var key = JobspecSummary.Str(k) ?? throw new FluxException(Errno.EPROTO, "invalid payload: keys must be strings");
            var value = key == "eventlog" ? eventlog : await flux.KvsGetStringAsync(JobKey(id, key));
            if (value is null)
            {
                throw new FluxException(Errno.ENOENT, $"key {key} not found");
            }
            if (key is not ("jobspec" or "R") || (flags & (LookupJsonDecode | LookupCurrent)) == 0)
            {
                response[key] = value;
                continue;
            }
            var decoded = JsonNode.Parse(value) as JsonObject ?? throw new FluxException(Errno.EINVAL, $"{key} is not a JSON object");
            if ((flags & LookupCurrent) != 0)
            {
                ApplyUpdates(key, decoded, eventlog);
            }
            response[key] = (flags & LookupJsonDecode) != 0 ? decoded : decoded.ToJsonString(JsonOptions.Compact);
        }
        flux.Respond(request, response);
    }

    // RFC 21: jobspec-update holds dotted jobspec paths and values; resource-update an R expiration.
    private static void ApplyUpdates(string key, JsonObject value, string eventlog)
    {
        foreach (var e in Eventlog.Parse(eventlog))
        {
            if (key == "jobspec" && e.Name == JobEventNames.JobspecUpdate && e.Context is { } updates)
            {
                foreach (var (path, v) in updates)
                {
                    var parts = path.Split('.');
                    var node = value;
                    for (var i = 0; i < parts.Length - 1; i++)
                    {
                        if (node[parts[i]] is not JsonObject next)
                        {
                            next = [];
                            node[parts[i]] = next;
                        }
                        node = next;
                    }
                    node[parts[^1]] = v?.DeepClone();
                }
            }
            else if (key == "R" && e.Name == "resource-update" && e.Context?["expiration"] is { } exp)
            {
                if (value["execution"] is not JsonObject execution)
                {
                    execution = [];
                    value["execution"] = execution;
                }
                execution["expiration"] = exp.DeepClone();
            }
        }
    }

    private async ValueTask Watch(Message request)
    {
        if (!request.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "job-info.eventlog-watch is a streaming RPC");
        }
        var o = request.GetJson();
        var id = ParseId(o);
        var path = EventlogWatch.NormalizePath(JobspecSummary.Str(o["path"]) ?? "eventlog");
        var flags = (int)(JobspecSummary.Num(o["flags"]) ?? 0);
        // Listed before the first await, so that a cancel or disconnect during the access check finds it.
        using var watch = new EventlogWatch(flux, log, request, id, path, waitCreate: (flags & EventlogWatch.WaitCreate) != 0);
        _watches.Add(watch);
        try
        {
            var (eventlog, _) = await CheckAccessAsync(flux, id, request);
            await watch.RunAsync(eventlog);
        }
        finally
        {
            _watches.Remove(watch);
        }
    }

    private ValueTask Cancel(Message request)
    {
        var matchtag = JobspecSummary.Num(request.GetJson()["matchtag"]) ?? throw new FluxException(Errno.EPROTO, "invalid payload: matchtag is required");
        foreach (var w in _watches.Where(w => w.Request.Sender == request.Sender && w.Request.Matchtag == (uint)matchtag).ToList())
        {
            w.Stop(Errno.ENODATA, null);
        }
        flux.Respond(request);
        return ValueTask.CompletedTask;
    }

    private ValueTask Disconnect(Message request)
    {
        foreach (var w in _watches.Where(w => w.Request.Sender == request.Sender).ToList())
        {
            w.Stop(0, null);
        }
        return ValueTask.CompletedTask;
    }

    private static ulong ParseId(JsonObject o) =>
        o["id"] is JsonValue v && v.TryGetValue(out ulong id)
            ? id
            : throw new FluxException(Errno.EPROTO, "invalid payload: id must be a job id (number)");

    /// <summary>The job ID in decimal, as flux-core names guest namespaces (<c>job-ID</c>).</summary>
    internal static string Dec(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
