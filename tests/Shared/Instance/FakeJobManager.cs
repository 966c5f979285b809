// A test client that plays job-manager to the module under test: the events journal (job-list,
// job-info), the scheduler hello/ready of RFC 27 (sched-simple), the submit request (job-ingest),
// and optionally a KVS that stores values in memory.
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.Tests.Shared;

/// <summary>
/// Registers the <c>job-manager</c> service on its own connection. The journal is answered the way
/// the job-manager does: the test sends the backlog, the sentinel <c>{id:-1}</c>, live entries and
/// purges through the held request. Everything is sent synchronously, so a request the test makes
/// afterwards is handled after them.
/// </summary>
internal sealed class FakeJobManager : IAsyncDisposable
{
    private readonly List<(ulong Id, string? Free)> _holding = [];
    private TaskCompletionSource<Message> _journal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeJobManager(FluxHandle h)
    {
        H = h;
    }

    /// <summary>The handle: also used to send sched.* requests as the job manager does.</summary>
    public FluxHandle H { get; }

    /// <summary>The held events-journal request, once a subscriber has asked.</summary>
    public Message? Journal { get; private set; }

    /// <summary>Values by key when the fake KVS is registered.</summary>
    public ConcurrentDictionary<string, string> Kvs { get; } = new(StringComparer.Ordinal);

    /// <summary>The payload of the last job-manager.sched-ready.</summary>
    public Task<JsonObject> Ready => _ready.Task;

    /// <summary>The jobs array of each job-manager.submit, in arrival order.</summary>
    public ConcurrentQueue<JsonArray> Submits { get; } = new();

    /// <summary>
    /// Registers job-manager (and kvs when asked) on a new connection; with <paramref name="online"/>
    /// it announces itself with job-manager.online as the real one does once loaded.
    /// </summary>
    public static async Task<FakeJobManager> StartAsync(TestInstance inst, bool online = true, bool withKvs = false)
    {
        ArgumentNullException.ThrowIfNull(inst);
        var fake = new FakeJobManager(await inst.ConnectAsync());
        var h = fake.H;
        h.RegisterHandler(MessageType.Request, "job-manager.events-journal", m =>
        {
            fake.Journal = m;
            fake._journal.TrySetResult(m);
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "job-manager.sched-hello", fake.OnSchedHello);
        h.RegisterHandler(MessageType.Request, "job-manager.sched-ready", m =>
        {
            fake._ready.TrySetResult(m.GetJson());
            h.Respond(m, new JsonObject { ["count"] = 0 });
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "job-manager.submit", m =>
        {
            fake.Submits.Enqueue(m.GetJson()["jobs"]!.AsArray());
            h.Respond(m, new JsonObject { ["errors"] = new JsonArray() });
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("job-manager");
        if (withKvs)
        {
            await fake.RegisterKvsAsync();
        }
        if (online)
        {
            await h.PublishAsync("job-manager.online");
        }
        return fake;
    }

    /// <summary>Waits until a subscriber has asked for the journal.</summary>
    public async Task<Message> JournalRequestedAsync()
    {
        var m = await Await.Within(_journal.Task, "a job-manager.events-journal request");
        Assert.True(m.IsStreaming, "job-manager.events-journal must be a streaming request");
        return m;
    }

    /// <summary>Sends entries, then the sentinel.</summary>
    public async Task SendBacklogAsync(params JsonObject[] entries)
    {
        var journal = await JournalRequestedAsync();
        foreach (var e in entries)
        {
            H.Respond(journal, e);
        }
        H.Respond(journal, new JsonObject { ["id"] = -1, ["events"] = new JsonArray() });
    }

    public void Send(JsonObject entry) => H.Respond(Journal ?? throw new InvalidOperationException("no journal request yet"), entry);

    public void Purge(ulong id) => Send(new JsonObject { ["id"] = id, ["events"] = new JsonArray(), ["purged"] = true });

    /// <summary>Ends the journal with an error, as job-manager does when it unloads.</summary>
    public void EndJournal()
    {
        H.RespondError(Journal!, Errno.ENOSYS, "job-manager is unloading");
        Journal = null;
        _journal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task PublishOnlineAsync() => H.PublishAsync("job-manager.online");

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

    private ValueTask OnSchedHello(Message m)
    {
        foreach (var (id, free) in _holding)
        {
            var job = new JsonObject { ["id"] = id, ["priority"] = 16, ["userid"] = 1000, ["t_submit"] = 1.0 };
            if (free is not null)
            {
                job["free"] = free;
            }
            H.Respond(m, job);
        }
        H.RespondError(m, Errno.ENODATA);
        return ValueTask.CompletedTask;
    }

    private async Task RegisterKvsAsync()
    {
        H.RegisterHandler(MessageType.Request, "kvs.lookup", m =>
        {
            var key = m.GetJson()["key"]!.GetValue<string>();
            if (!Kvs.TryGetValue(key, out var value))
            {
                throw new FluxException(Errno.ENOENT, $"{key}: no such key");
            }
            H.Respond(m, new JsonObject { ["key"] = key, ["val"] = Val(value) });
            return ValueTask.CompletedTask;
        });
        H.RegisterHandler(MessageType.Request, "kvs.commit", m =>
        {
            foreach (var op in m.GetJson()["ops"]!.AsArray())
            {
                var key = op!["key"]!.GetValue<string>();
                var data = Encoding.UTF8.GetString(Convert.FromBase64String(op["dirent"]!["data"]!.GetValue<string>()));
                Kvs.AddOrUpdate(key, data, (_, old) => ((Flux.Abstractions.Kvs.KvsFlags)op["flags"]!.GetValue<int>()).HasFlag(Flux.Abstractions.Kvs.KvsFlags.Append) ? old + data : data);
            }
            H.Respond(m, new JsonObject { ["rootseq"] = 1 });
            return ValueTask.CompletedTask;
        });
        await H.AddServiceAsync("kvs");
    }

    private static JsonObject Val(string s) => new() { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) };
}
