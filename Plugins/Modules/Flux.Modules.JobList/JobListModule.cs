// The job-list module: follows the job-manager journal and answers job listing requests (flux-core job-list).
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobList;

/// <summary>
/// Keeps a listing record of every job the job-manager holds, fed by the streaming
/// <c>job-manager.events-journal</c> RPC: first the backlog (each job's eventlog so far, RFC 21
/// events), then a sentinel <c>{id:-1}</c>, then live batches and purges. When job-manager is not
/// loaded, or its journal ends with an error, the module waits for the <c>job-manager.online</c>
/// event and follows a new journal; the old records keep being served until the new backlog is
/// complete, then are replaced by it. Serves <c>job-list.list</c>, <c>job-list.list-id</c>
/// (optionally held until the job reaches a state) and <c>job-list.job-stats</c> to guests too,
/// and drops a client's held requests on <c>job-list.disconnect</c>.
/// </summary>
[FluxPlugin("job-list", PluginKind.Module)]
public sealed partial class JobListModule(IFlux flux, ILogger<JobListModule> log) : IFluxModule
{
    // Journal requests take matchtags from the top of the range, which the handle never reaches
    // for its own requests; their responses then reach the handler below as messages, in arrival
    // order with every request, so a request sent after a journal entry sees that entry.
    private const uint JournalTagBase = 0xFFFF0000;

    private JobTable _jobs = new();
    private JobTable? _incoming;
    private uint _journalTag = JournalTagBase;
    private bool _ready;
    private bool _unloading;
    private bool _journalActive;
    private bool _onlineWhileStarting;
    private bool _journalAnswered;

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, "job-list.list", List, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-list.list-id", ListId, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-list.job-stats", JobStats, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "job-list.disconnect", Disconnect, FluxRole.All);
        flux.RegisterHandler(MessageType.Response, "job-manager.events-journal", OnJournal);
        flux.RegisterHandler(MessageType.Event, "job-manager.online", OnJobManagerOnline);
        await flux.SubscribeAsync("job-manager.online", cancellationToken);
        StartJournal();
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        _unloading = true;
        if (_journalActive)
        {
            // RFC 6: a client that goes away says so; job-manager then stops sending the journal.
            flux.Send(Disconnect("job-manager"));
        }
        foreach (var request in _waiters.Values.SelectMany(l => l).Select(w => w.Request).Concat(_held).ToList())
        {
            flux.RespondError(request, Errno.ENOSYS, "job-list module is unloading");
        }
        _waiters.Clear();
        _held.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>A <c>SERVICE.disconnect</c> notice (NORESPONSE), as a departing client sends it (RFC 6).</summary>
    internal static Message Disconnect(string service)
    {
        var m = Message.Request(service + ".disconnect");
        m.Flags |= MessageFlags.NoResponse;
        return m;
    }

    private ValueTask OnJobManagerOnline(Message ev)
    {
        if (_journalActive)
        {
            // A journal request is in flight but may have been refused before job-manager came up.
            if (!_journalAnswered)
            {
                _onlineWhileStarting = true;
            }
            return ValueTask.CompletedTask;
        }
        JobListLog.JobManagerOnline(log);
        StartJournal();
        return ValueTask.CompletedTask;
    }

    private void StartJournal()
    {
        _journalActive = true;
        _journalAnswered = false;
        _onlineWhileStarting = false;
        _incoming = new JobTable();
        var request = Message.Request("job-manager.events-journal", new JsonObject());
        request.Flags |= MessageFlags.Streaming;
        _journalTag = _journalTag == uint.MaxValue ? JournalTagBase : _journalTag + 1;
        request.Matchtag = _journalTag;
        flux.Send(request);
    }

    private ValueTask OnJournal(Message response)
    {
        if (!_journalActive || response.Matchtag != _journalTag)
        {
            // The rest of a stream given up on.
            return ValueTask.CompletedTask;
        }
        if (response.Errnum != 0)
        {
            OnJournalEnded(response);
            return ValueTask.CompletedTask;
        }
        _journalAnswered = true;
        // One parse gives both the entry (a tree built lazily over it) and the jobspec's own bytes.
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(response.PayloadWithoutNul.Span);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            JobListLog.MalformedEntry(log, ex.Message);
            return ValueTask.CompletedTask;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            JobListLog.EntryNotObject(log);
            return ValueTask.CompletedTask;
        }
        var jobspec = root.TryGetProperty("jobspec", out var spec) && spec.ValueKind == JsonValueKind.Object
            ? JsonMarshal.GetRawUtf8Value(spec)
            : default;
        OnJournalResponse(JsonObject.Create(root)!, jobspec);
        return ValueTask.CompletedTask;
    }

    private void OnJournalEnded(Message response)
    {
        if (response.Errnum == Errno.ENOSYS)
        {
            JobListLog.JobManagerNotLoaded(log);
        }
        else
        {
            JobListLog.JournalEnded(log, response.GetString() is { Length: > 0 } text ? text : Errno.Describe(response.Errnum));
        }
        _journalActive = false;
        _incoming = null;
        if (!_ready)
        {
            // Nothing to wait for: answer from what is known (nothing, until job-manager comes up).
            SetReady();
        }
        if (_onlineWhileStarting && !_unloading)
        {
            StartJournal();
        }
    }

    private void OnJournalResponse(JsonObject o, ReadOnlySpan<byte> jobspecUtf8)
    {
        var idNode = o["id"];
        if (idNode is JsonValue v && v.TryGetValue(out long signed) && signed == -1)
        {
            // Sentinel: the backlog is complete; once its R lookups are done it replaces what was known.
            if (_incoming is { } fresh)
            {
                fresh.BacklogComplete = true;
                TryCompleteSync();
            }
            else
            {
                SetReady();
            }
            return;
        }
        if (JobspecSummary.Num(idNode) is not { } idNum || idNum < 0)
        {
            JobListLog.EntryWithoutId(log, o.ToJsonString());
            return;
        }
        var id = idNode!.GetValue<ulong>();
        var table = _incoming ?? _jobs;
        var known = table.Find(id) is not null;
        var job = table.Apply(id, o, jobspecUtf8);
        if (job is not null && job.TakeRLookup())
        {
            // A lookup that fails other than by an RFC 6 error must not hold the backlog's swap forever.
            flux.Background(LookupRAsync(table, job), "R lookup", onFault: _ => AfterLookup(table));
        }
        if (_incoming is null)
        {
            CheckWaiters(id, job, gone: known && job is null);
        }
    }

    // Swaps in a new journal's records once its backlog is complete and every R it needed is read.
    private void TryCompleteSync()
    {
        if (_incoming is not { BacklogComplete: true, PendingLookups: 0 } fresh)
        {
            return;
        }
        var previous = _jobs;
        fresh.InheritPurged(previous);
        _jobs = fresh;
        _incoming = null;
        JobListLog.BacklogComplete(log, _jobs.Count);
        SetReady();
        foreach (var waited in _waiters.Keys.ToList())
        {
            // A job the restarted job-manager no longer holds was purged meanwhile.
            CheckWaiters(waited, _jobs.Find(waited), gone: previous.Find(waited) is not null);
        }
    }

    // R of a job that ran but came without it (an inactive job in a backlog), read from the KVS
    // (RFC 16 job.ID.R) as flux-core's job-list reads it: without it the job would list no nodes.
    private async Task LookupRAsync(JobTable table, JobData job)
    {
        table.PendingLookups++;
        try
        {
            if (await flux.KvsGetJsonAsync(Fluid.Encode(job.Id, FluidEncoding.Kvs) + ".R") is JsonObject r)
            {
                job.SetR(r);
            }
        }
        catch (Exception ex) when (ex is FluxException or System.Text.Json.JsonException)
        {
            JobListLog.NoR(log, job.Id, ex.Message);
        }
        finally
        {
            table.PendingLookups--;
        }
        AfterLookup(table);
    }

    private void AfterLookup(JobTable table)
    {
        if (ReferenceEquals(table, _incoming))
        {
            TryCompleteSync();
        }
    }

    private void SetReady()
    {
        if (_ready)
        {
            return;
        }
        _ready = true;
        var held = _held.ToList();
        _held.Clear();
        foreach (var request in held)
        {
            flux.Background(Dispatch(request), "held " + request.Topic, request);
        }
    }
}
