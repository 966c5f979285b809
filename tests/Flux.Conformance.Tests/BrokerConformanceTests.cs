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
            if (key is "sendqueue" or "recvqueue")
            {
                continue; // optional in flux-core's client (s?i); Flux.NET has no per-module queues to report
            }
            Assert.True(kvs.ContainsKey(key), $"module.list entry lacks '{key}'");
            Assert.Equal(value!.GetValueKind(), kvs[key]!.GetValueKind());
        }
        Assert.Equal(1, kvs["status"]!.GetValue<int>());
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
