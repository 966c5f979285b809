// sched-simple against a fake job manager: RFC 27 alloc/free/cancel/prioritize, strict FIFO, first-fit, exclusive, GPUs, constraints.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using static Flux.Resource.Tests.AllocStream;

namespace Flux.Resource.Tests;

public sealed class SchedSimpleTests
{
    [Fact]
    public async Task Alloc_OneCore_SucceedsAfterRIsStoredWithTimes()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var a = t.Alloc(1, Slots(1), duration: 60);
        var final = await a.FinalAsync("alloc of one core");
        Assert.Equal(0, final["type"]!.GetValue<int>());
        Assert.Equal("rank0/core0", final["annotations"]!["sched"]!["resource_summary"]!.GetValue<string>());
        var r = t.StoredR(1);
        Assert.Equal("rank0/core0", r.ToShortString());
        Assert.Equal("node0", r.Nodelist.ToString());
        Assert.InRange(r.StartTime, before - 1, before + 30);
        Assert.Equal(r.StartTime + 60, r.Expiration, 3);

        var b = t.Alloc(2, Slots(2));
        Assert.Equal("rank0/core[1-2]", await b.SuccessAsync("alloc without duration"));
        Assert.Equal(0, t.StoredR(2).Expiration);
    }

    [Fact]
    public async Task Alloc_MalformedPayload_IsAnsweredEproto()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        foreach (var (payload, says) in new[] { ("[1,2]", "not a JSON object"), ("{\"id\":", "malformed JSON") })
        {
            var req = new Message(MessageType.Request) { Topic = "sched.alloc", NodeIdTarget = NodeId.Any };
            req.SetJsonUtf8(System.Text.Encoding.UTF8.GetBytes(payload));
            var ex = await Assert.ThrowsAsync<FluxException>(() => t.Jm.H.RequestAsync(req));
            Assert.Equal(Errno.EPROTO, ex.Errnum);
            Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        }
        // The scheduler goes on: a good request still gets its cores.
        Assert.Equal("rank0/core0", await t.Alloc(1, Slots(1)).SuccessAsync("alloc after bad requests"));
    }

    [Fact]
    public async Task Pending_OrderedByPriorityThenId()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        var a = t.Alloc(10, Slots(4));
        Assert.Equal("rank0/core[0-3]", await a.SuccessAsync("the job filling the node"));
        var low = t.Alloc(20, Slots(4), priority: 10);
        var highLater = t.Alloc(30, Slots(4), priority: 20);
        var highEarlier = t.Alloc(25, Slots(4), priority: 20);
        t.Free(10);
        Assert.Equal("rank0/core[0-3]", await highEarlier.SuccessAsync("priority 20, smaller id"));
        Assert.False(highLater.IsFinished || low.IsFinished);
        t.Free(25);
        Assert.Equal("rank0/core[0-3]", await highLater.SuccessAsync("priority 20, larger id"));
        Assert.False(low.IsFinished);
        t.Free(30);
        Assert.Equal("rank0/core[0-3]", await low.SuccessAsync("priority 10"));
    }

    [Fact]
    public async Task Head_DoesNotFit_StopsThePassAndIsAnnotated()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        var a = t.Alloc(1, Slots(2));
        Assert.Equal("rank0/core[0-1]", await a.SuccessAsync("two cores"));
        var big = t.Alloc(2, Slots(4), priority: 20);
        var small = t.Alloc(3, Slots(1), priority: 10);
        var annotation = await big.NextAsync("reason_pending of the blocked head");
        Assert.Equal(1, annotation["type"]!.GetValue<int>());
        Assert.Equal("insufficient resources", annotation["annotations"]!["sched"]!["reason_pending"]!.GetValue<string>());

        // Had the small job jumped ahead, four cores would not be free now.
        t.Free(1);
        var success = await big.FinalAsync("the head after the free");
        Assert.Equal(0, success["type"]!.GetValue<int>());
        Assert.True(success["annotations"]!["sched"]!.AsObject().ContainsKey("reason_pending"), "reason_pending is cleared with null");
        Assert.Null(success["annotations"]!["sched"]!["reason_pending"]);
        Assert.Equal(1, (await small.NextAsync("annotation of the new head"))["type"]!.GetValue<int>());
        t.Free(2);
        Assert.Equal("rank0/core0", await small.SuccessAsync("the small job last"));
    }

    [Fact]
    public async Task FirstFit_InRankOrder_LowestIdsFirst()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.TwoNodes);
        Assert.Equal("rank0/core[0-1]", await t.Alloc(1, Slots(2)).SuccessAsync("two slots"));
        Assert.Equal("rank0/core[2-3] rank1/core0", await t.Alloc(2, Slots(3)).SuccessAsync("three slots packed in rank order"));
        Assert.Equal("rank1/core[1-2]", await t.Alloc(3, Nodes(1, slots: 1, cores: 2)).SuccessAsync("a node with a two-core slot"));
        Assert.Equal("rank1/core3", await t.Alloc(4, Slots(1)).SuccessAsync("the last core"));
        var r = t.StoredR(2);
        Assert.Equal("node[0-1]", r.Nodelist.ToString());
        Assert.Equal(3, r.NSlots);
    }

    [Fact]
    public async Task Exclusive_NodeOrSlot_TakesWholeIdleNodes()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.Mixed);
        Assert.Equal("rank0/core0", await t.Alloc(1, Slots(1)).SuccessAsync("one core"));
        Assert.Equal("rank1/core[0-3],gpu[0-1]", await t.Alloc(2, Nodes(1, exclusive: true)).SuccessAsync("an exclusive node"));
        var blocked = t.Alloc(3, Slots(1, exclusive: true));
        Assert.Equal(1, (await blocked.NextAsync("no idle node"))["type"]!.GetValue<int>());
        t.Free(1);
        Assert.Equal("rank0/core[0-3]", await blocked.SuccessAsync("an exclusive slot once node0 is idle"));
    }

    [Fact]
    public async Task Gpus_GoWhereTheyAre_AndTooManyAreDenied()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.Mixed);
        Assert.Equal("rank1/core0,gpu0", await t.Alloc(1, Slots(1, gpus: 1)).SuccessAsync("one gpu"));
        Assert.Equal("rank1/core1,gpu1", await t.Alloc(2, Slots(1, gpus: 1)).SuccessAsync("the other gpu"));
        var deny = await t.Alloc(3, Slots(3, gpus: 1)).FinalAsync("three gpus");
        Assert.Equal(2, deny["type"]!.GetValue<int>());
        Assert.Equal("unsatisfiable request: requires 3 slots of 1 core and 1 gpu but only 2 fit", deny["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Properties_RestrictRanks_UnknownPropertyIsDenied()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.Mixed);
        JsonObject Props(params string[] p) => new() { ["properties"] = new JsonArray([.. p.Select(x => (JsonNode)x)]) };
        Assert.Equal("rank1/core0", await t.Alloc(1, Slots(1), constraints: Props("debug")).SuccessAsync("debug"));
        Assert.Equal("rank0/core0", await t.Alloc(2, Slots(1), constraints: Props("batch")).SuccessAsync("batch"));
        Assert.Equal("rank1/core1", await t.Alloc(3, Slots(1), constraints: Props("^batch")).SuccessAsync("not batch"));
        Assert.Equal("rank1/core2", await t.Alloc(4, Slots(1), constraints: new JsonObject { ["hostlist"] = new JsonArray("node1") }).SuccessAsync("hostlist"));
        var deny = await t.Alloc(5, Slots(1), constraints: Props("gpu", "batch")).FinalAsync("no node is gpu and batch");
        Assert.Equal(2, deny["type"]!.GetValue<int>());
        Assert.Equal("unsatisfiable request: no nodes with properties gpu,batch", deny["note"]!.GetValue<string>());
        var bad = await t.Alloc(6, Slots(1), constraints: new JsonObject { ["color"] = new JsonArray("red") }).FinalAsync("bad constraint");
        Assert.Equal("invalid constraints: unknown operator 'color'", bad["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unsatisfiable_IsDeniedAtOnce_AndFeasibilityCheckSaysWhy()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.TwoNodes);
        var deny = await t.Alloc(1, Nodes(4)).FinalAsync("four nodes of two");
        Assert.Equal(2, deny["type"]!.GetValue<int>());
        Assert.Equal(1ul, deny["id"]!.GetValue<ulong>());
        Assert.Equal("unsatisfiable request: requires 4 nodes but only 2 exist", deny["note"]!.GetValue<string>());
        deny = await t.Alloc(2, Slots(1, cores: 8)).FinalAsync("an eight-core slot");
        Assert.Equal("unsatisfiable request: a slot of 8 cores does not fit on any node", deny["note"]!.GetValue<string>());
        deny = await t.Alloc(3, new JsonObject { ["type"] = "core", ["count"] = 1 }).FinalAsync("a bad jobspec");
        Assert.StartsWith("invalid jobspec: ", deny["note"]!.GetValue<string>(), StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<FluxException>(() => t.Jm.H.RpcAsync("feasibility.check", new JsonObject { ["jobspec"] = Jobspec(Nodes(3)) }));
        Assert.Equal((Errno.EINVAL, "unsatisfiable request: requires 3 nodes but only 2 exist"), (ex.Errnum, ex.Message));
        await t.Jm.H.RpcAsync("feasibility.check", new JsonObject { ["jobspec"] = Jobspec(Nodes(2, slots: 4)) });
    }

    [Fact]
    public async Task Oversubscribe_WhenConfigured_RunsMoreTasksThanCoresOnWholeIdleNodes()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.TwoNodes + "\n[sched-simple]\noversubscribe = true\n");
        await t.Jm.H.RpcAsync("feasibility.check", new JsonObject { ["jobspec"] = Jobspec(Slots(20)) });
        Assert.Equal("rank0/core0", await t.Alloc(1, Slots(1)).SuccessAsync("a job that fits"));
        var big = t.Alloc(2, Slots(20));
        Assert.Equal(1, (await big.NextAsync("waits for whole idle nodes"))["type"]!.GetValue<int>());
        t.Free(1);
        Assert.Equal("rank[0-1]/core[0-3]", await big.SuccessAsync("20 slots on both whole nodes"));
        Assert.Equal(20, t.StoredR(2).NSlots);
        t.Free(2);
        Assert.Equal("rank0/core[0-3]", await t.Alloc(3, Nodes(1, slots: 6)).SuccessAsync("one node of six slots, taken whole"));

        // Cores are shared, never GPUs, and never an exclusive request.
        var deny = await t.Alloc(4, Slots(20, gpus: 1)).FinalAsync("gpus are not oversubscribed");
        Assert.Equal("unsatisfiable request: a slot of 1 core and 1 gpu does not fit on any node", deny["note"]!.GetValue<string>());
        deny = await t.Alloc(5, Nodes(1, slots: 6, exclusive: true)).FinalAsync("exclusive is not oversubscribed");
        Assert.Equal("unsatisfiable request: requires 1 node with 6 cores each but only 0 have them", deny["note"]!.GetValue<string>());
        deny = await t.Alloc(6, Slots(1, cores: 8)).FinalAsync("a slot larger than any node");
        Assert.Equal("unsatisfiable request: a slot of 8 cores does not fit on any node", deny["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversubscribe_IsOffForConfiguredResources_AsInFluxCore()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        var deny = await t.Alloc(1, Slots(5)).FinalAsync("five slots on four cores");
        Assert.Equal("unsatisfiable request: requires 5 slots of 1 core but only 4 fit", deny["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversubscribe_IsOnForDiscoveredResources_APersonalInstance()
    {
        // No [resource] table: the resource module discovers this machine's cores.
        await using var t = await SchedHarness.StartAsync(string.Empty);
        var slots = (2 * Environment.ProcessorCount) + 1;
        Assert.StartsWith("rank0/core", await t.Alloc(1, Slots(slots)).SuccessAsync("more tasks than this machine has cores"), StringComparison.Ordinal);
        var r = t.StoredR(1);
        Assert.Equal(slots, r.NSlots);
        Assert.InRange(r.CoreCount, 1, slots - 1);
        Assert.Contains("oversubscribes", t.Inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversubscribe_BadValue_RefusesTheModuleWithFileKeyAndValue()
    {
        await using var inst = await ResourceInstance.StartAsync(SchedHarness.OneNode + "\n[sched-simple]\noversubscribe = \"yes\"\n");
        await using var jm = await FakeJobManager.StartAsync(inst, online: false, withKvs: true);
        var ex = await Assert.ThrowsAsync<FluxException>(() => inst.LoadModuleAsync("sched-simple"));
        Assert.Contains("[sched-simple] oversubscribe: expected true or false, got \"yes\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_PendingAlloc_GetsCancelThenEnd()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        Assert.Equal("rank0/core[0-3]", await t.Alloc(1, Slots(4)).SuccessAsync("all cores"));
        var waiting = t.Alloc(2, Slots(1));
        Assert.Equal(1, (await waiting.NextAsync("the blocked job's annotation"))["type"]!.GetValue<int>());
        t.Jm.Tell("sched.cancel", new JsonObject { ["id"] = 2 });
        var final = await waiting.FinalAsync("cancel");
        Assert.Equal(new JsonObject { ["id"] = 2, ["type"] = 3 }.ToJsonString(), final.ToJsonString());
        t.Free(1);
        Assert.Equal("rank0/core0", await t.Alloc(3, Slots(1)).SuccessAsync("a later job, not the cancelled one"));
    }

    [Fact]
    public async Task Prioritize_ReordersTheQueue()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        Assert.Equal("rank0/core[0-3]", await t.Alloc(1, Slots(4)).SuccessAsync("all cores"));
        var first = t.Alloc(2, Slots(4), priority: 20);
        var second = t.Alloc(3, Slots(4), priority: 10);
        t.Jm.Tell("sched.prioritize", new JsonObject { ["jobs"] = new JsonArray(new JsonArray(3, 30), new JsonArray(99, 1)) });
        t.Free(1);
        Assert.Equal("rank0/core[0-3]", await second.SuccessAsync("the job raised to priority 30"));
        Assert.False(first.IsFinished);
    }

    [Fact]
    public async Task Hello_JobsHoldingResources_AreAllocatedUntilFreed()
    {
        var held = Rv1.Encode(IdSet.Parse("0-1"), IdSet.Parse("0-3"), null, Hostlist.Parse("node[0-1]"));
        await using var t = await SchedHarness.StartAsync(SchedHarness.TwoNodes, jm =>
        {
            jm.Holds(7, held.ToString());
            jm.Holds(8, held.ToString(), free: "0-1");
        });
        var status = (await t.Jm.ResourceStatusAsync())!;
        Assert.Equal("rank[0-1]/core[0-3]", Rv1.Parse(status["allocated"]!).ToShortString());
        var waiting = t.Alloc(1, Slots(1));
        Assert.Equal(1, (await waiting.NextAsync("blocked behind the held job"))["type"]!.GetValue<int>());
        t.Jm.Tell("sched.free", new JsonObject { ["id"] = 7, ["R"] = held.CopyRanks(IdSet.Parse("1")).ToJson(), ["final"] = false });
        Assert.Equal("rank1/core0", await waiting.SuccessAsync("the partly freed job's rank"));
    }

    [Fact]
    public async Task Drain_RanksAreNotUsed_UndrainLetsTheBlockedJobRun()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.TwoNodes);
        await t.Jm.H.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0", ["reason"] = "test" });
        Assert.Equal("rank1/core[0-3]", await t.Alloc(1, Slots(4)).SuccessAsync("the only node up"));
        var down = Rv1.Parse((await t.Jm.ResourceStatusAsync())!["down"]!);
        Assert.Equal("rank0/core[0-3]", down.ToShortString());
        var waiting = t.Alloc(2, Slots(1));
        Assert.Equal(1, (await waiting.NextAsync("no core up"))["type"]!.GetValue<int>());
        await t.Jm.H.RpcAsync("resource.undrain", new JsonObject { ["targets"] = "node0" });
        Assert.Equal("rank0/core0", await waiting.SuccessAsync("the undrained node"));
    }

    [Fact]
    public async Task ResourceStatus_AllDownAllocated_AreR()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.Mixed);
        Assert.Equal("rank1/core[0-1]", await t.Alloc(1, Slots(2), constraints: new JsonObject { ["properties"] = new JsonArray("gpu") }).SuccessAsync("two cores on the gpu node"));
        await using var guest = await t.Inst.ConnectAsync(asUser: 4242);
        var status = (await guest.RpcAsync("sched.resource-status"))!;
        var all = Rv1.Parse(status["all"]!);
        Assert.Equal("rank0/core[0-3] rank1/core[0-3],gpu[0-1]", all.ToShortString());
        Assert.Equal("1", all.Properties["gpu"].ToString());
        Assert.Equal(0, Rv1.Parse(status["down"]!).NodeCount);
        var allocated = Rv1.Parse(status["allocated"]!);
        Assert.Equal("rank1/core[0-1]", allocated.ToShortString());
        Assert.Equal("node1", allocated.Nodelist.ToString());
        Assert.Equal(["debug", "gpu"], allocated.Properties.Keys);
    }

    [Theory]
    [InlineData(new string[0], """{"mode":"limited","limit":8}""")]
    [InlineData(new[] { "queue-depth=unlimited" }, """{"mode":"unlimited"}""")]
    [InlineData(new[] { "queue-depth=2" }, """{"mode":"limited","limit":2}""")]
    [InlineData(new[] { "mode=limited=3" }, """{"mode":"limited","limit":3}""")]
    [InlineData(new[] { "mode=unlimited" }, """{"mode":"unlimited"}""")]
    public async Task Args_QueueDepth_IsTheReadyMode(string[] args, string ready)
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode, null, args);
        Assert.Equal(ready, (await t.Jm.Ready).ToJsonString());
    }

    [Theory]
    [InlineData("queue-depth=0", "queue-depth=0: expected a positive integer")]
    [InlineData("mode=sometimes", "mode=sometimes: expected unlimited or limited=N")]
    [InlineData("alloc-mode=best-fit", "unknown argument 'alloc-mode=best-fit'")]
    public async Task Args_Bad_LoadFails(string arg, string expected)
    {
        await using var inst = await ResourceInstance.StartAsync(SchedHarness.OneNode);
        var ex = await Assert.ThrowsAsync<FluxException>(() => inst.LoadModuleAsync("sched-simple", arg));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitedDepth_SchedulerAnswersEveryAllocItGets()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode, null, "queue-depth=1");
        var allocs = Enumerable.Range(1, 3).Select(i => t.Alloc((ulong)i, Slots(1))).ToList();
        Assert.Equal(["rank0/core0", "rank0/core1", "rank0/core2"], await Task.WhenAll(allocs.Select(a => a.SuccessAsync("each alloc"))));
    }

    [Fact]
    public async Task LoadOrder_JobManagerLater_HelloOnJobManagerOnline()
    {
        await using var inst = await ResourceInstance.StartAsync(SchedHarness.OneNode, ["resource", "sched-simple"]);
        Assert.Contains("job-manager is not loaded: waiting for job-manager.online", inst.Dmesg(), StringComparison.Ordinal);
        await using var jm = await FakeJobManager.StartAsync(inst, online: false, withKvs: true);
        await jm.H.PublishAsync("job-manager.online");
        Assert.Equal("limited", (await Await.Within(jm.Ready, "sched-ready after job-manager.online"))["mode"]!.GetValue<string>());
        Assert.Equal("rank0/core0", await AllocStream.Start(jm.H, 1, Jobspec(Slots(1))).SuccessAsync("an alloc after the late hello"));
    }

    [Fact]
    public async Task Remove_SaysGoodbyeToResourceAndJobManager()
    {
        await using var t = await SchedHarness.StartAsync(SchedHarness.OneNode);
        var disconnected = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Jm.H.RegisterHandler(MessageType.Request, "job-manager.disconnect", m =>
        {
            disconnected.TrySetResult(m.Sender);
            return ValueTask.CompletedTask;
        });
        await t.Jm.H.RpcAsync("module.remove", new JsonObject { ["name"] = "sched-simple" });
        Assert.Equal("sched-simple", await Await.Within(disconnected.Task, "job-manager.disconnect from sched-simple"));
        // resource.disconnect was sent first; a request to the resource module is handled after it.
        await t.Jm.H.RpcAsync("resource.status");
        Assert.Contains("acquire subscriber sched-simple disconnected", t.Inst.Dmesg(), StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<FluxException>(() => t.Jm.ResourceStatusAsync());
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }
}
