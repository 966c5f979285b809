// job-list requests: list, list-id (held until a state), job-stats, and disconnect of held requests.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.JobList;

public sealed partial class JobListModule
{
    // list-id requests waiting for their job to appear or to reach a state, by job id.
    private readonly Dictionary<ulong, List<Waiter>> _waiters = [];
    // Requests that arrived before the first journal backlog was complete.
    private readonly List<Message> _held = [];

    // Runs a request that was held until the first backlog was complete; errors become responses.
    private async Task Dispatch(Message request)
    {
        try
        {
            switch (request.Topic)
            {
                case "job-list.list":
                    await List(request);
                    break;
                case "job-list.list-id":
                    await ListId(request);
                    break;
                default:
                    await JobStats(request);
                    break;
            }
        }
        catch (FluxException ex)
        {
            flux.RespondError(request, ex.Errnum, ex.Message);
        }
    }

    private ValueTask List(Message request)
    {
        if (!_ready)
        {
            _held.Add(request);
            return ValueTask.CompletedTask;
        }
        var query = ListQuery.Parse(request);
        flux.Respond(request, new JsonObject { ["jobs"] = query.Run(_jobs) });
        return ValueTask.CompletedTask;
    }

    private ValueTask JobStats(Message request)
    {
        if (!_ready)
        {
            _held.Add(request);
            return ValueTask.CompletedTask;
        }
        flux.Respond(request, _jobs.Stats());
        return ValueTask.CompletedTask;
    }

    // {id, attrs, state?}: the job now, or (with state) once it has reached one of the state bits.
    private async ValueTask ListId(Message request)
    {
        var o = request.GetJson();
        if (o["id"] is not JsonValue idValue || !idValue.TryGetValue(out ulong id))
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: id must be a job id (number)");
        }
        var attrs = JobAttrs.Parse(o["attrs"]);
        var state = (JobState)(int)(JobspecSummary.Num(o["state"]) ?? 0);
        if ((state & ~ListQuery.AllStates) != 0)
        {
            throw new FluxException(Errno.EPROTO, "invalid payload: invalid state specified");
        }
        if (!_ready)
        {
            _held.Add(request);
            return;
        }
        var waiter = new Waiter(request, attrs, state);
        if (_jobs.Find(id) is null)
        {
            // The journal may lag behind the submitter (flux-core's idsync): a job whose eventlog
            // is in the KVS is waited for; otherwise it is unknown.
            var exists = await ExistsInKvsAsync(id);
            if (_jobs.Find(id) is null)
            {
                if (!exists)
                {
                    throw new FluxException(Errno.ENOENT, "unknown job");
                }
                AddWaiter(id, waiter);
                return;
            }
        }
        if (!TryAnswer(waiter, _jobs.Find(id)!))
        {
            AddWaiter(id, waiter);
        }
    }

    private ValueTask Disconnect(Message request)
    {
        var sender = request.Sender;
        _held.RemoveAll(m => m.Sender == sender);
        foreach (var (id, list) in _waiters.ToList())
        {
            list.RemoveAll(w => w.Request.Sender == sender);
            if (list.Count == 0)
            {
                _waiters.Remove(id);
            }
        }
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ExistsInKvsAsync(ulong id)
    {
        try
        {
            return await flux.KvsLookupAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog") is not null;
        }
        catch (FluxException)
        {
            // No KVS (or no access): only the journal can tell, and it has not.
            return false;
        }
    }

    private void AddWaiter(ulong id, Waiter waiter)
    {
        if (!_waiters.TryGetValue(id, out var list))
        {
            _waiters[id] = list = [];
        }
        list.Add(waiter);
    }

    // Answers the waiter if the job is in a wanted state (or any, without one); false to keep waiting.
    private bool TryAnswer(Waiter w, JobData job)
    {
        if ((w.Request.RoleMask & FluxRole.Owner) == 0 && job.UserId != w.Request.UserId)
        {
            flux.RespondError(w.Request, Errno.EPERM, "access denied: the job belongs to another user");
            return true;
        }
        if (w.State != 0 && (job.StatesMask & w.State) == 0)
        {
            return false;
        }
        flux.Respond(w.Request, new JsonObject { ["job"] = JobAttrs.ToJson(job, w.Attrs) });
        return true;
    }

    private void CheckWaiters(ulong id, JobData? job, bool gone)
    {
        if (!_waiters.TryGetValue(id, out var list))
        {
            return;
        }
        if (job is null)
        {
            if (gone)
            {
                foreach (var w in list)
                {
                    flux.RespondError(w.Request, Errno.ENOENT, "unknown job");
                }
                _waiters.Remove(id);
            }
            return;
        }
        list.RemoveAll(w => TryAnswer(w, job));
        if (list.Count == 0)
        {
            _waiters.Remove(id);
        }
    }

    private sealed record Waiter(Message Request, IReadOnlyList<string> Attrs, JobState State);
}
