// A test client that plays the job manager (RFC 27 hello/ready) and, optionally, a KVS that stores values in memory.
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Resource.Tests;

internal sealed class FakeJobManager : IAsyncDisposable
{
    private readonly List<(ulong Id, string? Free)> _holding = [];
    private TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeJobManager(FluxHandle h)
    {
        H = h;
    }

    /// <summary>The handle: also used to send sched.* requests as the job manager does.</summary>
    public FluxHandle H { get; }

    /// <summary>Values by key when the fake KVS is registered.</summary>
    public ConcurrentDictionary<string, string> Kvs { get; } = new(StringComparer.Ordinal);

    /// <summary>The payload of the last job-manager.sched-ready.</summary>
    public Task<JsonObject> Ready => _ready.Task;

    /// <summary>Registers job-manager (and kvs when asked) on a new connection.</summary>
    public static async Task<FakeJobManager> StartAsync(ResourceInstance inst, bool withKvs = false)
    {
        var fake = new FakeJobManager(await inst.ConnectAsync());
        var h = fake.H;
        h.RegisterHandler(MessageType.Request, "job-manager.sched-hello", m =>
        {
            foreach (var (id, free) in fake._holding)
            {
                var job = new JsonObject { ["id"] = id, ["priority"] = 16, ["userid"] = 1000, ["t_submit"] = 1.0 };
                if (free is not null)
                {
                    job["free"] = free;
                }
                h.Respond(m, job);
            }
            h.RespondError(m, Errno.ENODATA);
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "job-manager.sched-ready", m =>
        {
            fake._ready.TrySetResult(m.GetJson());
            h.Respond(m, new JsonObject { ["count"] = 0 });
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("job-manager");
        if (withKvs)
        {
            h.RegisterHandler(MessageType.Request, "kvs.lookup", m =>
            {
                var key = m.GetJson()["key"]!.GetValue<string>();
                if (!fake.Kvs.TryGetValue(key, out var value))
                {
                    throw new FluxException(Errno.ENOENT, $"{key}: no such key");
                }
                h.Respond(m, new JsonObject { ["key"] = key, ["val"] = Val(value) });
                return ValueTask.CompletedTask;
            });
            h.RegisterHandler(MessageType.Request, "kvs.commit", m =>
            {
                foreach (var op in m.GetJson()["ops"]!.AsArray())
                {
                    var key = op!["key"]!.GetValue<string>();
                    var data = Encoding.UTF8.GetString(Convert.FromBase64String(op["dirent"]!["data"]!.GetValue<string>()));
                    fake.Kvs.AddOrUpdate(key, data, (_, old) => (op["flags"]!.GetValue<int>() & 32) != 0 ? old + data : data);
                }
                h.Respond(m, new JsonObject { ["rootseq"] = 1 });
                return ValueTask.CompletedTask;
            });
            await h.AddServiceAsync("kvs");
        }
        return fake;
    }

    /// <summary>Says in sched-hello that a job holds R (stored in the fake KVS as job.ID.R).</summary>
    public void Holds(ulong id, string r, string? free = null)
    {
        _holding.Add((id, free));
        Kvs[Fluid.Encode(id, FluidEncoding.Kvs) + ".R"] = r;
    }

    /// <summary>Expects another sched-ready (after job-manager.online, say).</summary>
    public void ResetReady() => _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sends a NORESPONSE request (sched.free, sched.cancel, sched.prioritize).</summary>
    public void Tell(string topic, JsonObject payload)
    {
        var m = Message.Request(topic, payload);
        m.Flags |= MessageFlags.NoResponse;
        H.Send(m);
    }

    /// <summary>sched.free of a whole allocation.</summary>
    public void Free(ulong id, JsonObject r) => Tell("sched.free", new JsonObject { ["id"] = id, ["R"] = r.DeepClone(), ["final"] = true });

    public Task<JsonObject?> ResourceStatusAsync() => H.RpcAsync("sched.resource-status");

    public async ValueTask DisposeAsync() => await H.DisposeAsync();

    private static JsonObject Val(string s) => new() { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) };
}
