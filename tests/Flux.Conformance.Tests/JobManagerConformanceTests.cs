// job-manager answers the topics flux-core's clients call with flux-core's payload keys.
using System.Text.Json.Nodes;
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
}
