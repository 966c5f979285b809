// job-manager answers the topics flux-core's clients call with flux-core's payload keys.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;
using Xunit;

namespace Flux.Conformance.Tests;

public sealed class JobManagerConformanceTests
{
    private static readonly string[] Modules = ["content", "content-sqlite", "kvs", "job-manager"];

    [Fact]
    public async Task StatsGet_FluxCoreClient_FindsEveryKeyItReads()
    {
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        var resp = await Await.Within(h.RpcAsync(FluxCoreFixtures.StatsGet.Topic), "job-manager.stats-get");
        var expected = FluxCoreFixtures.StatsGet.ResponseJson;
        foreach (var key in new[] { "active_jobs", "inactive_jobs", "max_jobid" })
        {
            Assert.Equal(expected[key]!.GetValueKind(), resp![key]!.GetValueKind());
        }
        Assert.IsType<JsonObject>(resp!["housekeeping"]!["running"]);
        Assert.Equal(-1.0, resp["housekeeping"]!["config"]!["release-after"]!.GetValue<double>());
        Assert.IsType<JsonObject>(resp["journal"]);
    }

    [Fact]
    public async Task QueueListAndStatus_NoNamedQueues_AnswerAsFluxCore()
    {
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        var list = await Await.Within(h.RpcAsync(FluxCoreFixtures.QueueList.Topic), "job-manager.queue-list");
        Assert.Equal(FluxCoreFixtures.QueueList.ResponseJson.ToJsonString(), list!.ToJsonString());
        var fx = FluxCoreFixtures.QueueStatus;
        var status = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "job-manager.queue-status");
        Assert.True(status!["enable"]!.GetValue<bool>());
        // start is false until a scheduler says hello (flux-core's broker had sched-simple loaded).
        Assert.Contains(status["start"]!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });
    }

    [Fact]
    public async Task HistoryGet_FluxCoreSlice_AnswersAJobsArray()
    {
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreFixtures.HistoryGet;
        var resp = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "job-manager.history.get");
        Assert.Empty(resp!["jobs"]!.AsArray());
    }

    [Fact]
    public async Task DrainAndIdle_NoJobs_AnswerAsFluxCore()
    {
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        await Await.Within(h.RpcAsync("job-manager.drain"), "job-manager.drain");
        var idle = await Await.Within(h.RpcAsync(FluxCoreFixtures.Idle.Topic), "job-manager.idle");
        Assert.Equal(FluxCoreFixtures.Idle.ResponseJson.ToJsonString(), idle!.ToJsonString());
    }

    [Fact]
    public async Task StatsGet_JournalEvents_CountsEveryPostedEventAsJournalC()
    {
        // journal.c's event_count: every event the job-manager posts after it loads, counted as it
        // is posted whether or not anyone follows the journal (the trace: 22 for two finished jobs).
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        var before = await Await.Within(h.RpcAsync(FluxCoreFixtures.StatsGet.Topic), "job-manager.stats-get");
        Assert.Equal(FluxCoreFixtures.StatsGet.ResponseJson["journal"]!["events"]!.GetValueKind(), before!["journal"]!["events"]!.GetValueKind());
        Assert.Equal(0, before["journal"]!["events"]!.GetValue<long>());
        Assert.Equal(0, before["journal"]!["listeners"]!.GetValue<int>());

        // A job as flux-core's job-ingest hands it over (job-manager.submit), cancelled while it
        // waits for a scheduler, then waited for: nobody listens to the journal meanwhile.
        const ulong id = 1234567;
        var jobspec = new JobspecBuilder(["true"]).Build();
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var flags = (int)SubmitFlags.Waitable;
        var key = Fluid.Encode(id, FluidEncoding.Kvs);
        var submit = new EventlogEntry(t, "submit", new JsonObject { ["userid"] = Flux.Client.Connectors.PeerCredentials.CurrentUid, ["urgency"] = 16, ["flags"] = flags, ["version"] = 1 });
        await h.KvsCommitAsync(new KvsTxn().PutJson(key + ".jobspec", jobspec).Append(key + ".eventlog", submit.ToLine()));
        await Await.Within(h.RpcAsync("job-manager.submit", new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject { ["id"] = id, ["userid"] = Flux.Client.Connectors.PeerCredentials.CurrentUid, ["urgency"] = 16, ["flags"] = flags, ["t_submit"] = t, ["jobspec"] = jobspec }),
        }), "job-manager.submit");
        await Await.Within(h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["severity"] = 0, ["type"] = "cancel", ["note"] = string.Empty }), "job-manager.raise");
        await Await.Within(h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }), "job-manager.wait");
        var after = await Await.Within(h.RpcAsync(FluxCoreFixtures.StatsGet.Topic), "job-manager.stats-get");

        // The journal's own backlog of the now inactive job holds each event it posted once.
        var request = Message.Request("job-manager.events-journal", new JsonObject { ["full"] = true });
        var posted = new List<string>();
        await Await.Within(Task.Run(async () =>
        {
            await foreach (var m in h.StreamAsync(request))
            {
                var entry = m.GetJson();
                if (entry["id"]!.GetValue<long>() == -1)
                {
                    break;
                }
                posted.AddRange(entry["events"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
            }
        }), "the journal backlog");
        Assert.Equal(["submit", "validate", "depend", "priority", "exception", "clean"], posted);
        Assert.Equal(posted.Count, after!["journal"]!["events"]!.GetValue<long>());
    }
}
