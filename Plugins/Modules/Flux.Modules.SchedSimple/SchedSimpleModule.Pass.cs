// The scheduling pass: strict priority FIFO over pending jobs, R committed to the KVS (RFC 16) before SUCCESS (RFC 27).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.SchedSimple;

public sealed partial class SchedSimpleModule
{
    private bool _passScheduled;
    private bool _passRunning;
    private bool _passAgain;

    // Passes are coalesced: one runs after the messages already queued on the module's loop, and
    // never two at once (a request during a pass's KVS commit asks for one more pass).
    private void SchedulePass()
    {
        if (_passScheduled)
        {
            return;
        }
        _passScheduled = true;
        flux.Background(RunPassesAsync(), "scheduling pass");
    }

    private async Task RunPassesAsync()
    {
        await Task.Yield();
        _passScheduled = false;
        if (_passRunning)
        {
            _passAgain = true;
            return;
        }
        _passRunning = true;
        try
        {
            do
            {
                _passAgain = false;
                await PassAsync();
            }
            while (_passAgain && !_stopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed pass is logged and the next request starts another; while unloading, a pass
            // fails because the handle is closing, which is no fault.
            if (!_stopping)
            {
                SchedSimpleLog.PassFailed(log, ex.ToString());
            }
        }
        finally
        {
            _passRunning = false;
        }
    }

    // Only the head of the queue is tried: when it does not fit now, the pass stops (no backfill).
    private async Task PassAsync()
    {
        var now = (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
        var granted = new List<(PendingJob Job, Rv1 R)>();
        while (_pending.Min is { } job)
        {
            var r = _pool.TryAlloc(job.Id, job.Resources);
            if (r is null)
            {
                if (!job.ReasonAnnotated)
                {
                    job.ReasonAnnotated = true;
                    var annotations = new JsonObject { ["sched"] = new JsonObject { ["reason_pending"] = "insufficient resources" } };
                    Answer(job.Request, Response(job.Id, Annotate, annotations: annotations), final: false);
                }
                break;
            }
            Remove(job);
            // With no duration the job ends with the instance, if the instance has an end.
            var expiration = job.Resources.Duration > 0 ? now + job.Resources.Duration
                : _pool.All.Expiration > now ? _pool.All.Expiration : 0;
            granted.Add((job, r.WithTimes(now, expiration)));
        }
        if (granted.Count == 0)
        {
            return;
        }
        // Each R is encoded once: the same text goes to the KVS and into the SUCCESS response.
        var txn = new KvsTxn();
        var texts = new byte[granted.Count][];
        for (var i = 0; i < granted.Count; i++)
        {
            texts[i] = System.Text.Encoding.UTF8.GetBytes(granted[i].R.ToJson().ToJsonString());
            txn.Put(Fluid.Encode(granted[i].Job.Id, FluidEncoding.Kvs) + ".R", texts[i]);
        }
        var error = await CommitAsync(txn);
        for (var i = 0; i < granted.Count; i++)
        {
            var (job, r) = granted[i];
            if (error is not null)
            {
                _pool.Free(job.Id, null, final: true, log);
                Answer(job.Request, Response(job.Id, Deny, note: $"scheduler: cannot store R in the KVS: {error.Message}"), final: true);
                continue;
            }
            var sched = new JsonObject { ["resource_summary"] = r.ToShortString() };
            if (job.ReasonAnnotated)
            {
                // RFC 27: a null annotation value deletes the key.
                sched["reason_pending"] = null;
            }
            // R is in the KVS (RFC 27); it also rides in the response, as newer flux-core sends it, so
            // the job manager need not read it back.
            var success = Message.EncodeJson((job.Id, sched, R: texts[i]), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteNumber("id", s.Id);
                w.WriteNumber("type", Success);
                w.WritePropertyName("annotations");
                w.WriteStartObject();
                w.WritePropertyName("sched");
                s.sched.WriteTo(w);
                w.WriteEndObject();
                w.WritePropertyName("R");
                w.WriteRawValue(s.R, skipInputValidation: true);
                w.WriteEndObject();
            });
            // Logged before the answer: whoever reads the log after the grant finds the decision there.
            if (r.CoreCount < (long)job.Resources.NSlots * job.Resources.SlotCores)
            {
                if (log.IsEnabled(LogLevel.Information))
                {
                    var (id, text) = (Fluid.Encode(job.Id, FluidEncoding.F58), r.ToShortString());
                    SchedSimpleLog.Oversubscribes(log, id, text, job.Resources.NSlots, job.Resources.SlotCores == 1 ? "1 core" : $"{job.Resources.SlotCores} cores", r.CoreCount);
                }
            }
            else if (log.IsEnabled(LogLevel.Debug))
            {
                var (id, text) = (Fluid.Encode(job.Id, FluidEncoding.F58), r.ToShortString());
                SchedSimpleLog.Alloc(log, id, text);
            }
            Answer(job.Request, success, final: true);
        }
        if (error is not null)
        {
            SchedSimpleLog.StoreRFailed(log, granted.Count, error.Message);
        }
    }
}
