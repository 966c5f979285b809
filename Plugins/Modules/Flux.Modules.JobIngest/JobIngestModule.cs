// job-ingest: the submit RPC. Unwraps J, checks the submitter, runs the ingest pipeline (frobnicators,
// policy limits, validators: IngestPipeline), assigns a FLUID (RFC 19), and commits jobspec, J and the
// submit event (RFC 16/21) for many submissions in one KVS transaction.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobIngest;

[FluxPlugin("job-ingest", PluginKind.Module)]
public sealed class JobIngestModule(IFlux flux, ILogger<JobIngestModule> log, IPluginLoader plugins) : IFluxModule, IConfigurable, IDisposable
{
    /// <summary>FLUID epoch: ids grow with time across restarts of the instance.</summary>
    private static readonly long Epoch = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly FluidGenerator _ids = new(0, Epoch);
    private List<Pending> _batch = [];

    // Submissions per KVS commit at most.
    private const int MaxBatch = 128;
    private bool _flushScheduled;
    private IngestPipeline? _pipeline;

    // The pipeline loaded for a proposed configuration, applied if that configuration is applied.
    private (FluxConfig Config, IngestPipeline Pipeline)? _proposed;
    private (string J, uint Signer, int Flags, IngestPipeline Pipeline, byte[] Jobspec, byte[] JUtf8)? _last;

    // Per sender (its route's origin), the submissions still in an asynchronous plugin: the last one's
    // task and how many. A later submission of that sender is taken after them, so its jobs get ids in
    // the order it sent them, as when every plugin answers at once.
    private readonly Dictionary<string, (Task Tail, int Count)> _waiting = [];

    // Canceled at unload: what asynchronous plugins are given to stop waiting.
    private readonly CancellationTokenSource _stopping = new();

    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _pipeline = await IngestPipeline.LoadAsync(flux.Config, plugins, log).ConfigureAwait(true);
        flux.RegisterHandler(MessageType.Request, "job-ingest.submit", OnSubmit, FluxRole.User);
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }
        _stopping.Dispose();
        _proposed?.Pipeline.Dispose();
        _proposed = null;
        _pipeline?.Dispose();
        _pipeline = null;
    }

    /// <summary>Loads the plugins of the proposed configuration: a bad one refuses the reload and the loaded set stays.</summary>
    public async ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        _proposed?.Pipeline.Dispose();
        _proposed = null;
        _proposed = (proposed, await IngestPipeline.LoadAsync(proposed, plugins, log).ConfigureAwait(true));
    }

    public async ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        var next = _proposed is { } p && ReferenceEquals(p.Config, config)
            ? p.Pipeline
            : await IngestPipeline.LoadAsync(config, plugins, log).ConfigureAwait(true);
        _proposed = null;
        // Jobs still waiting in the old pipeline's plugins finish with them; it unloads them after.
        _pipeline?.Dispose();
        _pipeline = next;
        _last = null;
    }

    private ValueTask OnSubmit(Message msg)
    {
        var req = msg.GetJson();
        var isOwner = (msg.RoleMask & FluxRole.Owner) != 0;
        var j = req["J"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "missing J");
        // Bulk submission (flux submit --cc) sends the same J many times: it is unwrapped once.
        var sameJ = _last is { } previous && previous.J == j;
        uint signer;
        string? jobspecText = null;
        if (sameJ)
        {
            signer = _last!.Value.Signer;
        }
        else
        {
            (signer, _, jobspecText) = SignedJob.Unwrap(j);
        }
        if (signer != msg.UserId)
        {
            throw new FluxException(Errno.EPERM, $"signer userid {signer} does not match the submitter's userid {msg.UserId}");
        }
        var urgency = req["urgency"]?.GetValue<int>() ?? 16;
        if (urgency is < 0 or > 31)
        {
            throw new FluxException(Errno.EINVAL, $"urgency must be from 0 to 31, got {urgency}");
        }
        if (!isOwner && urgency > 16)
        {
            throw new FluxException(Errno.EPERM, "guests may only submit with urgency from 0 to 16");
        }
        var flags = req["flags"]?.GetValue<int>() ?? 0;
        if ((flags & ~(int)SubmitFlags.Wire) != 0)
        {
            throw new FluxException(Errno.EPROTO, $"unknown submit flags 0x{flags:x}");
        }
        if (!isOwner && (flags & (int)SubmitFlags.OwnerOnly) != 0)
        {
            throw new FluxException(Errno.EPERM, "only the instance owner may submit with the waitable or novalidate flags");
        }
        var pipeline = _pipeline ?? throw new FluxException(Errno.ENOSYS, "job-ingest is unloading");
        // A sender with submissions still in an asynchronous plugin: this one is taken after them.
        var sender = _waiting.Count == 0 ? null : Sender(msg);
        var behind = sender is not null && _waiting.ContainsKey(sender);
        var repeat = sameJ && _last is { } last && last.Flags == flags && last.Pipeline == pipeline
            ? (last.Jobspec, last.JUtf8) : ((byte[] Jobspec, byte[] JUtf8)?)null;
        if (repeat is { } same && pipeline.Deterministic && !behind)
        {
            // ... and its jobspec checked once, when no plugin's answer depends on more than the jobspec.
            Enqueue(msg, urgency, flags, same.Jobspec, same.JUtf8);
            return ValueTask.CompletedTask;
        }
        if (!pipeline.RepeatsSkipToChangingValidators)
        {
            repeat = null;
        }
        // A repeat goes only to the validators that may answer differently (feasibility), with the
        // stored jobspec of the first. A rejection by a synchronous plugin throws here: the submitter is
        // answered at once, as before.
        var work = repeat is { } stored
            ? pipeline.ProcessAsync((JsonObject)JsonNode.Parse(stored.Jobspec)!, msg.UserId, msg.RoleMask, urgency, flags, _stopping.Token, stored.Jobspec)
            : pipeline.ProcessAsync(Jobspec.ParseJson(jobspecText ?? SignedJob.Unwrap(j).Jobspec), msg.UserId, msg.RoleMask, urgency, flags, _stopping.Token);
        if (work.IsCompletedSuccessfully && !behind)
        {
            Accept(msg, urgency, flags, j, signer, pipeline, work.Result, repeat);
            return ValueTask.CompletedTask;
        }
        sender ??= Sender(msg);
        var (before, count) = _waiting.TryGetValue(sender, out var w) ? w : (Task.CompletedTask, 0);
        _waiting[sender] = (before, count + 1);
        var tail = AcceptInOrderAsync(sender, before, work, msg, urgency, flags, j, signer, pipeline, repeat);
        if (!tail.IsCompleted)
        {
            _waiting[sender] = (tail, _waiting[sender].Count);
        }
        flux.Background(tail, "submission", msg);
        return ValueTask.CompletedTask;
    }

    private static string Sender(Message msg) => msg.Routes is { Count: > 0 } r ? r[0] : string.Empty;

    // A submission whose plugins answer later: accepted (or refused) once they have, after the sender's earlier ones.
    private async Task AcceptInOrderAsync(string sender, Task previous, ValueTask<byte[]> work, Message msg, int urgency, int flags, string j, uint signer, IngestPipeline pipeline, (byte[] Jobspec, byte[] JUtf8)? repeat)
    {
        try
        {
            // The earlier submission's own fault is reported by its own Background: only its end matters here.
            await previous.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
            byte[] jobspec;
            try
            {
                jobspec = await work.ConfigureAwait(true);
            }
            catch (FluxException ex)
            {
                flux.RespondError(msg, ex.Errnum, ex.Message);
                return;
            }
            Accept(msg, urgency, flags, j, signer, pipeline, jobspec, repeat);
        }
        finally
        {
            var (tail, count) = _waiting[sender];
            if (count == 1)
            {
                _waiting.Remove(sender);
            }
            else
            {
                _waiting[sender] = (tail, count - 1);
            }
        }
    }

    // A repeat keeps the J bytes of the job it repeats; a new J becomes the one repeats are compared with.
    private void Accept(Message msg, int urgency, int flags, string j, uint signer, IngestPipeline pipeline, byte[] jobspec, (byte[] Jobspec, byte[] JUtf8)? repeat)
    {
        if (repeat is { } same)
        {
            Enqueue(msg, urgency, flags, jobspec, same.JUtf8);
            return;
        }
        var jUtf8 = System.Text.Encoding.UTF8.GetBytes(j);
        _last = (j, signer, flags, pipeline, jobspec, jUtf8);
        Enqueue(msg, urgency, flags, jobspec, jUtf8);
    }

    // Assigns the job its id and adds it to the next KVS commit.
    private void Enqueue(Message msg, int urgency, int flags, byte[] jobspec, byte[] jUtf8)
    {
        var id = _ids.Next();
        _batch.Add(new Pending(msg, id, urgency, flags, jobspec, jUtf8));
        if (_batch.Count >= MaxBatch)
        {
            // A burst goes out in pieces, so the job manager starts on the first while the rest arrive.
            Flush();
        }
        else if (!_flushScheduled)
        {
            _flushScheduled = true;
            flux.Background(FlushSoonAsync(), "submit batch", onFault: _ => _flushScheduled = false);
        }
    }

    private async Task FlushSoonAsync()
    {
        // Submissions already queued on this loop join the batch before it is committed.
        await Task.Yield();
        _flushScheduled = false;
        Flush();
    }

    // A batch whose commit fails other than by an RFC 6 error still answers every submitter.
    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }
        var batch = _batch;
        _batch = [];
        flux.Background(CommitAsync(batch), "submit batch", onFault: ex => FailUnanswered(batch, ex));
    }

    private void FailUnanswered(List<Pending> batch, Exception ex)
    {
        var errnum = ex is FluxException fx ? fx.Errnum : Errno.EPROTO;
        foreach (var p in batch.Where(p => !p.Answered))
        {
            p.Answered = true;
            flux.RespondError(p.Request, errnum, $"job-ingest: submission failed: {ex.Message}");
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var now = EventlogEntry.Now();
        var txn = new KvsTxn();
        // The jobs of a bulk submission have the same submit event: encoded once.
        (uint UserId, int Urgency, int Flags) lastSubmit = default;
        byte[]? submitLine = null;
        foreach (var p in batch)
        {
            if (submitLine is null || lastSubmit != (p.Request.UserId, p.Urgency, p.Flags))
            {
                lastSubmit = (p.Request.UserId, p.Urgency, p.Flags);
                submitLine = new EventlogEntry(now, JobEventNames.Submit, new JsonObject
                {
                    ["userid"] = p.Request.UserId,
                    ["urgency"] = p.Urgency,
                    ["flags"] = p.Flags,
                    ["version"] = 1,
                }).ToUtf8Line();
            }
            var key = Fluid.Encode(p.Id, FluidEncoding.Kvs);
            txn.Put(key + ".J", p.J).Put(key + ".jobspec", p.Jobspec).Append(key + ".eventlog", submitLine);
        }
        // job-manager.submit {jobs:[{id, userid, urgency, flags, t_submit, jobspec}]}, written as UTF-8.
        var request = new Message(MessageType.Request) { Topic = "job-manager.submit", NodeIdTarget = NodeId.Any };
        request.SetPayload(Message.EncodeJson((batch, now), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("jobs");
            foreach (var p in s.batch)
            {
                w.WriteStartObject();
                w.WriteNumber("id", p.Id);
                w.WriteNumber("userid", p.Request.UserId);
                w.WriteNumber("urgency", p.Urgency);
                w.WriteNumber("flags", p.Flags);
                w.WriteNumber("t_submit", s.now);
                w.WritePropertyName("jobspec");
                w.WriteRawValue(p.Jobspec, skipInputValidation: true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        try
        {
            await flux.KvsCommitAsync(txn).ConfigureAwait(true);
            var resp = (await flux.RequestAsync(request).ConfigureAwait(true)).GetJsonOrNull();
            var errors = (resp?["errors"] as JsonArray ?? []).OfType<JsonObject>()
                .ToDictionary(e => e["id"]!.GetValue<ulong>(), e => (e["errnum"]?.GetValue<int>() ?? Errno.EINVAL, e["note"]?.GetValue<string>() ?? "rejected"));
            foreach (var p in batch)
            {
                p.Answered = true;
                if (errors.TryGetValue(p.Id, out var err))
                {
                    flux.RespondError(p.Request, err.Item1, err.Item2);
                }
                else
                {
                    flux.Respond(p.Request, new JsonObject { ["id"] = p.Id });
                }
            }
        }
        catch (FluxException ex)
        {
            JobIngestLog.BatchFailed(log, batch.Count, ex.Message);
            var text = ex.Errnum == Errno.ENOSYS ? "the job manager or KVS is not loaded" : ex.Message;
            foreach (var p in batch)
            {
                p.Answered = true;
                flux.RespondError(p.Request, ex.Errnum, text);
            }
        }
    }

    private sealed record Pending(Message Request, ulong Id, int Urgency, int Flags, byte[] Jobspec, byte[] J)
    {
        /// <summary>Whether the submitter has its answer (so a fault answers only the others).</summary>
        public bool Answered { get; set; }
    }
}
