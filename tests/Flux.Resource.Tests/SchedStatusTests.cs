// resource.sched-status computed by the resource module as flux-core's src/modules/resource/status.c (flux resource list/status).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Resource.Tests;

public sealed class SchedStatusTests
{
    // flux-core-0.88-traces/resource-status.trace: an empty set is rlist_to_R of an empty rlist.
    private const string FluxCoreEmptySet = """{"version":1,"execution":{"R_lite":[],"starttime":0,"expiration":0,"nodelist":[""]}}""";

    [Fact]
    public async Task SchedStatus_NoJobManager_AllWithoutExcludedDownDrainedAllocatedEmpty()
    {
        await using var inst = await ResourceInstance.StartAsync(ResourceModuleTests.FourNodes);
        await using var h = await inst.ConnectAsync();
        var first = (await Await.Within(h.RpcAsync("resource.sched-status", null, 0), "resource.sched-status"))!;
        // The keys of the trace's response, which flux-core's clients unpack.
        Assert.Equal(new[] { "all", "down", "allocated" }, first.Select(kv => kv.Key));
        Assert.Equal("rank[0-1]/core[0-3] rank2/core[0-3],gpu[0-1]", Rv1.Parse(first["all"]!).ToShortString());
        Assert.Equal("node[0-2]", Rv1.Parse(first["all"]!).Nodelist.ToString());
        Assert.Equal(FluxCoreEmptySet, first["down"]!.ToJsonString());
        Assert.Equal(FluxCoreEmptySet, first["allocated"]!.ToJsonString());

        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "1", ["reason"] = "test" });
        var drained = (await h.RpcAsync("resource.sched-status", null, 0))!;
        Assert.Equal("rank1/core[0-3]", Rv1.Parse(drained["down"]!).ToShortString());
        Assert.Equal("node1", Rv1.Parse(drained["down"]!).Nodelist.ToString());
    }

    [Fact]
    public async Task SchedStatus_JobManagerAllocated_IsItsSetWithTheProperties()
    {
        await using var inst = await ResourceInstance.StartAsync(ResourceModuleTests.FourNodes);
        await using var jm = await inst.ConnectAsync();
        // Plays the job-manager: job-manager.resource-status {allocated} (flux-core's job-manager/alloc.c), R without hosts.
        jm.RegisterHandler(MessageType.Request, "job-manager.resource-status", m =>
        {
            jm.Respond(m, new JsonObject { ["allocated"] = Rv1.Parse("""{"version":1,"execution":{"R_lite":[{"rank":"2","children":{"core":"0-1","gpu":"0"}}],"starttime":0,"expiration":0}}""").ToJson() });
            return ValueTask.CompletedTask;
        });
        await jm.AddServiceAsync("job-manager");
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var resp = (await Await.Within(guest.RpcAsync("resource.sched-status", null, 0), "resource.sched-status as a guest"))!;
        var allocated = Rv1.Parse(resp["allocated"]!);
        Assert.Equal("rank2/core[0-1],gpu0", allocated.ToShortString());
        Assert.Equal("node2", allocated.Nodelist.ToString());
        Assert.Equal("2", allocated.Properties["gpu"].ToString());
    }
}
