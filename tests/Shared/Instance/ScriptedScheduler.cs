// A scheduler for tests: answers sched.alloc per a policy the test chooses, writing R first (RFC 27).
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Tests.Shared;

internal sealed class ScriptedScheduler
{
    private readonly FluxHandle _h;
    private readonly ConcurrentDictionary<ulong, Message> _pending = new();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _arrived = new();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _canceled = new();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _freed = new();

    private ScriptedScheduler(FluxHandle h)
    {
        _h = h;
    }

    /// <summary>When false, allocs are held until <see cref="GrantAsync"/>.</summary>
    public bool AutoGrant { get; set; } = true;

    /// <summary>When true, every alloc is denied.</summary>
    public bool DenyAll { get; set; }

    public ConcurrentQueue<ulong> Allocated { get; } = new();

    public ConcurrentQueue<ulong> Freed { get; } = new();

    public IReadOnlyCollection<ulong> Pending => [.. _pending.Keys];

    public event Action<ulong>? AllocArrived;

    public static async Task<ScriptedScheduler> StartAsync(FluxHandle h, string mode = "unlimited", int limit = 0)
    {
        var s = new ScriptedScheduler(h);
        h.RegisterHandler(MessageType.Request, "sched.alloc", s.OnAlloc);
        h.RegisterHandler(MessageType.Request, "sched.cancel", s.OnCancel);
        h.RegisterHandler(MessageType.Request, "sched.free", m =>
        {
            var id = m.GetJson()["id"]!.GetValue<ulong>();
            s.Freed.Enqueue(id);
            Slot(s._freed, id).TrySetResult();
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "sched.prioritize", _ => ValueTask.CompletedTask);
        await h.AddServiceAsync("sched");
        await foreach (var _ in h.StreamAsync(Message.Request("job-manager.sched-hello", new JsonObject { ["partial-ok"] = true })))
        {
        }
        var ready = new JsonObject { ["mode"] = mode };
        if (limit > 0)
        {
            ready["limit"] = limit;
        }
        await h.RpcAsync("job-manager.sched-ready", ready);
        return s;
    }

    /// <summary>Waits for the job's held alloc request (see <see cref="AutoGrant"/>), then grants it.</summary>
    public async Task GrantAsync(ulong id)
    {
        await Await.Within(Slot(_arrived, id).Task, $"the sched.alloc request of job {id}");
        if (_pending.TryRemove(id, out var m))
        {
            await SucceedAsync(m, id);
        }
    }

    /// <summary>Waits until the job manager has sent sched.cancel for the job.</summary>
    public Task CancelRequestedAsync(ulong id) => Await.Within(Slot(_canceled, id).Task, $"sched.cancel of job {id}");

    /// <summary>
    /// Waits until sched.free of the job has reached this scheduler: it is sent before the job's
    /// free event, but travels on its own, so a test that saw the event may get here first.
    /// </summary>
    public Task FreedAsync(ulong id) => Await.Within(Slot(_freed, id).Task, $"sched.free of job {id}");

    private static TaskCompletionSource Slot(ConcurrentDictionary<ulong, TaskCompletionSource> slots, ulong id) =>
        slots.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async ValueTask OnAlloc(Message m)
    {
        var id = m.GetJson()["id"]!.GetValue<ulong>();
        if (DenyAll)
        {
            _h.Respond(m, new JsonObject { ["id"] = id, ["type"] = 2, ["note"] = "unsatisfiable request (test)" });
            _h.RespondError(m, Errno.ENODATA);
            return;
        }
        if (!AutoGrant)
        {
            _pending[id] = m;
            AllocArrived?.Invoke(id);
            Slot(_arrived, id).TrySetResult();
            return;
        }
        await SucceedAsync(m, id);
    }

    private ValueTask OnCancel(Message m)
    {
        var id = m.GetJson()["id"]!.GetValue<ulong>();
        if (_pending.TryRemove(id, out var alloc))
        {
            _h.Respond(alloc, new JsonObject { ["id"] = id, ["type"] = 3 });
            _h.RespondError(alloc, Errno.ENODATA);
        }
        Slot(_canceled, id).TrySetResult();
        return ValueTask.CompletedTask;
    }

    private async Task SucceedAsync(Message m, ulong id)
    {
        var r = Rv1.Encode(IdSet.Parse("0"), IdSet.Parse("0"), null, Hostlist.Parse("test0"));
        await _h.KvsCommitAsync(new KvsTxn().PutJson(Fluid.Encode(id, FluidEncoding.Kvs) + ".R", r.ToJson()));
        Allocated.Enqueue(id);
        _h.Respond(m, new JsonObject { ["id"] = id, ["type"] = 0 });
        _h.RespondError(m, Errno.ENODATA);
    }
}
