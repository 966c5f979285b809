// job-manager alone on the real KVS, with the test playing job-ingest, a scripted scheduler and a scripted exec service.
using System.Text.Json.Nodes;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Core.Connectors;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.JobManager.Tests;

internal sealed class JobManagerRig : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Modules = ["content", "content-sqlite", "kvs", "job-manager"];

    private ulong _nextId;

    private JobManagerRig(TestInstance inst, FluxHandle h, ScriptedScheduler sched, ScriptedExec exec, JournalFollower journal)
    {
        Inst = inst;
        H = h;
        Sched = sched;
        Exec = exec;
        Journal = journal;
    }

    public TestInstance Inst { get; }

    /// <summary>The owner's handle, which also serves sched and the exec service.</summary>
    public FluxHandle H { get; }

    public ScriptedScheduler Sched { get; }

    public ScriptedExec Exec { get; }

    public JournalFollower Journal { get; }

    public static uint Owner => PeerCredentials.CurrentUid;

    /// <summary>Starts job-manager with <paramref name="config"/>; the scheduler holds allocs unless <paramref name="autoGrant"/>.</summary>
    public static async Task<JobManagerRig> StartAsync(string? config = null, bool autoGrant = true, string mode = "unlimited", int limit = 0)
    {
        var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = Modules, Config = config });
        try
        {
            var h = await inst.ConnectAsync();
            var sched = await ScriptedScheduler.StartAsync(h, mode, limit);
            sched.AutoGrant = autoGrant;
            var exec = await ScriptedExec.StartAsync(h);
            var journal = await JournalFollower.FollowAsync(h);
            return new JobManagerRig(inst, h, sched, exec, journal);
        }
        catch
        {
            await inst.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Submits a job as job-ingest does (jobspec and submit event in the KVS, then job-manager.submit);
    /// returns its id, or throws with the job manager's refusal.
    /// </summary>
    public async Task<ulong> SubmitAsync(int urgency = 16, int flags = 0, uint? userid = null, string? queue = null, Action<JsonObject>? system = null)
    {
        var id = ++_nextId;
        var jobspec = new JobspecBuilder(["true"]).Build();
        if (queue is not null)
        {
            jobspec["attributes"]!["system"]!["queue"] = queue;
        }
        system?.Invoke(jobspec["attributes"]!["system"]!.AsObject());
        var user = userid ?? Owner;
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var key = Fluid.Encode(id, FluidEncoding.Kvs);
        var submit = new EventlogEntry(t, "submit", new JsonObject { ["userid"] = user, ["urgency"] = urgency, ["flags"] = flags, ["version"] = 1 });
        await H.KvsCommitAsync(new KvsTxn().PutJson(key + ".jobspec", jobspec).Append(key + ".eventlog", submit.ToLine()));
        var resp = await H.RpcAsync("job-manager.submit", new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject { ["id"] = id, ["userid"] = user, ["urgency"] = urgency, ["flags"] = flags, ["t_submit"] = t, ["jobspec"] = jobspec }),
        });
        if (resp!["errors"]!.AsArray() is [JsonObject error, ..])
        {
            throw new Flux.Abstractions.FluxException(error["errnum"]!.GetValue<int>(), error["note"]!.GetValue<string>());
        }
        return id;
    }

    /// <summary>Runs a job through exec: started, finished with <paramref name="status"/>, released; returns once it is inactive.</summary>
    public async Task RunAsync(ulong id, int status = 0)
    {
        await Exec.StartedAsync(id);
        await Exec.FinishedAsync(id, status);
        await Exec.ReleasedAsync(id);
        await Journal.UntilAsync(id, "clean");
    }

    /// <summary>The instance's (anonymous queue's) active and running job counts from job-manager.queue-status.</summary>
    public async Task<(int Active, int Running)> CountsAsync()
    {
        var q = (await H.RpcAsync("job-manager.queue-status"))!["queues"]![0]!;
        return (q["active"]!.GetValue<int>(), q["running"]!.GetValue<int>());
    }

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync();
        await H.DisposeAsync();
        await Inst.DisposeAsync();
    }
}
