// .update-queue (job-manager's queues): flux update JOBID queue=NAME for a pending job, with flux-core's refusals.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class UpdateQueueTests
{
    private const string Queues = """
        [queues.batch]
        requires = ["batch"]
        [queues.debug]
        requires = ["debug"]
        policy.limits.duration = "30m"
        [queues.any]
        [queues.closed]

        """;

    private static Task<JsonObject?> MoveAsync(JobtapInstance i, ulong id, string queue) =>
        i.H.RpcAsync("job-manager.update", new JsonObject { ["id"] = id, ["updates"] = new JsonObject { ["attributes.system.queue"] = queue } });

    // A job as job-ingest's constraints frobnicator leaves it: its queue's requires as its constraints.
    private static JobspecBuilder InQueue(string queue, double duration = 60) =>
        JobClient.Job().SetAttr("system.queue", queue).SetAttr("system.duration", duration)
            .SetAttr("system.constraints", new JsonObject { ["properties"] = new JsonArray(queue) });

    private static async Task<JobtapInstance> StartAsync()
    {
        var i = await JobtapInstance.StartAsync(Queues);
        // The feasibility check the update asks for: this scheduler can run anything.
        i.H.RegisterHandler(MessageType.Request, "feasibility.check", m =>
        {
            i.H.Respond(m);
            return ValueTask.CompletedTask;
        });
        await i.H.AddServiceAsync("feasibility");
        return i;
    }

    [Fact]
    public async Task List_AtStart_UpdateQueueIsBuiltin()
    {
        await using var i = await JobtapInstance.StartAsync();
        Assert.Contains(".update-queue", await i.PluginsAsync());
        Assert.Equal("builtin", (await i.QueryAsync(".update-queue"))!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_PendingJob_QueueAndConstraintsReplaced()
    {
        await using var i = await StartAsync();
        var id = await JobClient.SubmitAsync(i.H, InQueue("batch"), urgency: 0);
        await MoveAsync(i, id, "debug");
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0 });
        await JobClient.WaitAsync(i.H, id);
        var log = Eventlog.Parse((await i.H.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog"))!);
        var update = log.Single(e => e.Name == "jobspec-update").Context!;
        Assert.Equal("debug", update["attributes.system.queue"]!.GetValue<string>());
        Assert.Equal("debug", update["attributes.system.constraints"]!["properties"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_ToQueueWithoutRequires_ConstraintsEmptied()
    {
        await using var i = await StartAsync();
        var id = await JobClient.SubmitAsync(i.H, InQueue("batch"), urgency: 0);
        await MoveAsync(i, id, "any");
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0 });
        await JobClient.WaitAsync(i.H, id);
        var log = Eventlog.Parse((await i.H.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog"))!);
        Assert.Empty(log.Single(e => e.Name == "jobspec-update").Context!["attributes.system.constraints"]!.AsObject());
    }

    [Theory]
    [InlineData("batch", "job queue is already set to batch")]
    [InlineData("nosuch", "'nosuch' is not a valid queue")]
    [InlineData("closed", "queue closed is currently disabled")]
    public async Task Update_Refused_FluxCoreMessage(string queue, string message)
    {
        await using var i = await StartAsync();
        await i.H.RpcAsync("job-manager.queue-enable", new JsonObject { ["name"] = "closed", ["enable"] = false, ["reason"] = "test" });
        var id = await JobClient.SubmitAsync(i.H, InQueue("batch"), urgency: 0);
        var ex = await Assert.ThrowsAsync<FluxException>(() => MoveAsync(i, id, queue));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ExtraConstraints_Refused()
    {
        await using var i = await StartAsync();
        var spec = InQueue("batch").SetAttr("system.constraints", new JsonObject { ["properties"] = new JsonArray("batch", "bigmem") });
        var id = await JobClient.SubmitAsync(i.H, spec, urgency: 0);
        var ex = await Assert.ThrowsAsync<FluxException>(() => MoveAsync(i, id, "debug"));
        Assert.Contains("job appears to have non-queue constraints, unable to update queue to debug", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_OverNewQueuesLimit_RefusedByValidate()
    {
        await using var i = await StartAsync();
        var id = await JobClient.SubmitAsync(i.H, InQueue("batch", duration: 3600), urgency: 0);
        var ex = await Assert.ThrowsAsync<FluxException>(() => MoveAsync(i, id, "debug"));
        Assert.Contains("requested duration exceeds policy limit of 30m", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_RunningJob_Refused()
    {
        await using var i = await StartAsync();
        await i.H.RpcAsync("job-manager.queue-start", new JsonObject { ["name"] = "batch", ["start"] = true });
        var id = await JobClient.SubmitAsync(i.H, InQueue("batch").SetAttr("system.exec.test.run_duration", 30.0));
        await JobClient.WaitForEventAsync(i.H, id, "start");
        var ex = await Assert.ThrowsAsync<FluxException>(() => MoveAsync(i, id, "debug"));
        Assert.Contains("update of queue for running job not supported", ex.Message, StringComparison.Ordinal);
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0 });
    }
}
