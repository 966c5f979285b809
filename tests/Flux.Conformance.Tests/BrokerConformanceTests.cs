// The broker's own services answer as flux-core's broker does (ping, module.list, attr, log.dmesg).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Xunit;

namespace Flux.Conformance.Tests;

public sealed class BrokerConformanceTests
{
    [Fact]
    public async Task Ping_FluxCoreRequest_AnswersExactlyFluxCoreKeys()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreFixtures.Ping;
        var resp = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "broker.ping response");
        Assert.Equal(fx.ResponseJson.Select(kv => kv.Key).Order(StringComparer.Ordinal), resp!.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0, resp!["seq"]!.GetValue<int>());
        Assert.Equal(667737544, resp["time.tv_nsec"]!.GetValue<long>());
        Assert.Equal(0u, resp["rank"]!.GetValue<uint>());
        Assert.All(resp["route"]!.GetValue<string>().Split('!'), hop => Assert.InRange(hop.Length, 1, 8));
    }

    [Fact]
    public async Task ModuleList_LoadedModule_HasFluxCoreKeysAndIntegerStatus()
    {
        await using var inst = await TestInstance.StartAsync("content", "content-sqlite", "kvs");
        await using var h = await inst.ConnectAsync();
        var resp = await Await.Within(h.RpcAsync(FluxCoreFixtures.ModuleList.Topic), "module.list response");
        var expected = FluxCoreFixtures.ModuleList.ResponseJson["mods"]![0]!.AsObject();
        var kvs = resp!["mods"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "kvs")!.AsObject();
        foreach (var (key, value) in expected)
        {
            Assert.True(kvs.ContainsKey(key), $"module.list entry lacks '{key}'");
            Assert.Equal(value!.GetValueKind(), kvs[key]!.GetValueKind());
        }
        Assert.Equal(1, kvs["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ModuleList_SendQueue_CountsRequestsTheModuleHasNotTakenUp()
    {
        // flux-core's sendqueue (src/broker/module.c module_get_send_queue_count): messages the broker
        // sent the module that it has not read. The gated module's loop is held by the first request,
        // so the others wait in its queue until the gate opens.
        await using var inst = await TestInstance.StartAsync();
        using var gate = new ModuleGate();
        await inst.Broker.Modules.LoadAsync(typeof(GatedModule), null, []);
        await using var h = await inst.ConnectAsync();
        Assert.Equal(0, await SendQueueAsync(h));
        var held = Enumerable.Range(0, 4).Select(_ => h.RpcAsync("gated.hold")).ToList();
        await Await.Within(gate.Entered, "the first gated.hold to reach the module");
        await Await.Within(WaitForSendQueueAsync(h, 3), "sendqueue 3 while the module's loop is held");
        gate.Open();
        await Await.Within(Task.WhenAll(held), "the gated.hold responses");
        Assert.Equal(0, await SendQueueAsync(h));
        var entry = await EntryAsync(h, "gated");
        Assert.Equal(0, entry["recvqueue"]!.GetValue<int>());
    }

    private static async Task<JsonObject> EntryAsync(Flux.Client.Handle.FluxHandle h, string name)
    {
        var resp = await Await.Within(h.RpcAsync("module.list"), "module.list response");
        return resp!["mods"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == name)!.AsObject();
    }

    private static async Task<int> SendQueueAsync(Flux.Client.Handle.FluxHandle h) =>
        (await EntryAsync(h, "gated"))["sendqueue"]!.GetValue<int>();

    // Polls module.list until the count is reached (each poll is an RPC; the caller bounds the wait).
    private static async Task WaitForSendQueueAsync(Flux.Client.Handle.FluxHandle h, int count)
    {
        while (await SendQueueAsync(h) != count)
        {
            await Task.Yield();
        }
    }

    [Fact]
    public async Task StateMachineGet_RunningBroker_AnswersFluxCoreKeys()
    {
        // flux uptime (flux-core's) reads {state, duration} and prints the state.
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreFixtures.StateMachineGet;
        var resp = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "state-machine.get response");
        Assert.Equal(fx.ResponseJson.Select(kv => kv.Key).Order(StringComparer.Ordinal), resp!.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal("run", resp!["state"]!.GetValue<string>());
        Assert.Equal(fx.ResponseJson["duration"]!.GetValueKind(), resp["duration"]!.GetValueKind());
        Assert.True(resp["duration"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public async Task StateMachineGet_AfterShutdown_IsExit()
    {
        var inst = await TestInstance.StartAsync();
        var broker = inst.Broker;
        await using (inst)
        {
            Assert.Equal("run", broker.State);
        }
        Assert.Equal("exit", broker.State);
    }

    [Fact]
    public async Task GroupsGet_BrokerOnline_IsRankZero_OtherGroupsEmpty()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreFixtures.GroupsGet;
        var resp = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "groups.get response");
        Assert.Equal(fx.ResponseJson.ToJsonString(), resp!.ToJsonString());
        // An unknown group is created empty, as groups.c group_lookup (create=true).
        var other = await Await.Within(h.RpcAsync("groups.get", new JsonObject { ["name"] = "broker.torpid" }), "groups.get broker.torpid");
        Assert.Equal("""{"members":""}""", other!.ToJsonString());
        var bad = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("groups.get", new JsonObject()));
        Assert.Equal(Errno.EPROTO, bad.Errnum);
    }

    [Fact]
    public async Task GroupsGet_Streaming_AnswersNowAndWhenTheBrokerLeavesBrokerOnline()
    {
        var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var answers = new List<string>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var request = Message.Request("groups.get", new JsonObject { ["name"] = "broker.online" });
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var m in h.StreamAsync(request, stop.Token))
                {
                    int count;
                    lock (answers)
                    {
                        answers.Add(m.GetJson()["members"]!.GetValue<string>());
                        count = answers.Count;
                    }
                    (count == 1 ? first : second).TrySetResult();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or FluxException)
            {
                // Ended by the test, or by the broker going away.
            }
        });
        await Await.Within(first.Task, "the first groups.get answer");
        await inst.DisposeAsync();
        await Await.Within(second.Task, "the groups.get answer when the broker leaves broker.online");
        await stop.CancelAsync();
        await Await.Within(watch, "the groups.get watch to end");
        lock (answers)
        {
            Assert.Equal(new[] { "0", "" }, answers);
        }
    }

    [Fact]
    public async Task AttrGet_SecurityOwner_IsTheOwnerUid()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var fx = FluxCoreFixtures.SecurityOwner;
        var resp = await Await.Within(h.RpcAsync(fx.Topic, fx.RequestJson), "attr.get security.owner");
        Assert.Equal(inst.Broker.OwnerUid.ToString(System.Globalization.CultureInfo.InvariantCulture), resp!["value"]!.GetValue<string>());
        Assert.Equal(fx.ResponseJson["flags"]!.GetValue<int>(), resp["flags"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dmesg_Backlog_IsRfc5424TextAsFluxCores()
    {
        await using var inst = await TestInstance.StartAsync("content", "content-sqlite", "kvs");
        await using var h = await inst.ConnectAsync();
        var request = Message.Request("log.dmesg", new JsonObject { ["follow"] = false, ["nobacklog"] = false });
        var lines = new List<string>();
        await Await.Within(Task.Run(async () =>
        {
            await foreach (var m in h.StreamAsync(request))
            {
                lines.Add(m.GetString()!);
            }
        }), "log.dmesg backlog");
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.Matches(@"^<\d+>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \d+ \S+ \d+ - - ", line);
            var rec = StdlogRecord.Decode(line);
            Assert.Equal(line, rec.Encode());
        }
    }

    [Theory]
    [InlineData(0, 7, "broker", "insmod config")]
    [InlineData(1, 6, "broker", "builtins-success: load-builtins->join 4.36518ms")]
    [InlineData(2, 7, "connector-local", "allow-guest-user=false")]
    public void StdlogDecode_FluxCoreDmesgLine_GivesSeverityNameAndText(int index, int severity, string app, string text)
    {
        var line = FluxCoreFixtures.DmesgLines[index];
        var rec = StdlogRecord.Decode(line);
        Assert.Equal(severity, rec.Severity);
        Assert.Equal(app, rec.AppName);
        Assert.Equal("0", rec.Hostname);
        Assert.Equal(text, rec.Text);
        Assert.Equal(line, rec.Encode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("56>1 x 0 a 1 - - m")]
    [InlineData("<56>1 2026-12-06T11:49:33.281883Z 0 broker")]
    public void StdlogDecode_Malformed_Throws(string line) =>
        Assert.Throws<FormatException>(() => StdlogRecord.Decode(line));

    [Fact]
    public void EventlogEntry_FluxCoreWatchResponse_HasTheNewlineAndParses()
    {
        var line = FluxCoreFixtures.EventlogWatchEntry.ResponseJson["event"]!.GetValue<string>();
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Equal("submit", Eventlog.ParseEntry(line).Name);
        Assert.Single(Eventlog.Parse(line));
    }
}
