// Drain state in the KVS resource.eventlog (RFC 18) survives a restart; excluding a drained node undrains it.
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Abstractions.Kvs;

namespace Flux.Resource.Tests;

public sealed class ResourcePersistenceTests
{
    private const string ThreeNodes = """
        [[resource.config]]
        hosts = "node[0-2]"
        cores = "0-1"
        """;

    [KvsFact]
    public async Task Restart_SameStatedir_KeepsDrainsAndExcludeUndrains()
    {
        var statedir = TempDirs.Create("flux-resource-restart-");
        string[] rc1 = ["content", "content-sqlite", "kvs", "resource", "sched-simple"];
        double timestamp;
        await using (var inst = await ResourceInstance.StartAsync(ThreeNodes, rc1, statedir))
        {
            await using var h = await inst.ConnectAsync();
            await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "node1", ["reason"] = "bad disk" });
            await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "2" });
            timestamp = (await h.RpcAsync("resource.status"))!["drained"]!["1"]!["timestamp"]!.GetValue<double>();
            var log = Eventlog.Parse((await h.KvsGetStringAsync("resource.eventlog"))!);
            Assert.Equal(["resource-define", "drain", "drain"], log.Select(e => e.Name));
            Assert.Equal("""{"idset":"1","nodelist":"node1","reason":"bad disk","overwrite":0}""", log[1].Context!.ToJsonString());
            Assert.Equal("""{"idset":"2","nodelist":"node2","overwrite":0}""", log[2].Context!.ToJsonString());
            Assert.Equal("rank[0-2]/core[0-1]", Rv1.Parse((await h.KvsGetJsonAsync("resource.R"))!).ToShortString());
        }
        await using (var again = await ResourceInstance.StartAsync(ThreeNodes, rc1, statedir))
        {
            await using var h = await again.ConnectAsync();
            var drained = (await h.RpcAsync("resource.status"))!["drained"]!;
            Assert.Equal("bad disk", drained["1"]!["reason"]!.GetValue<string>());
            Assert.Equal(timestamp, drained["1"]!["timestamp"]!.GetValue<double>());
            Assert.Equal("", drained["2"]!["reason"]!.GetValue<string>());
            // The scheduler, loaded after the resource module, starts with the drained ranks down.
            Assert.Equal("rank[1-2]/core[0-1]", Rv1.Parse((await h.RpcAsync("sched.resource-status"))!["down"]!).ToShortString());
        }
        await using (var excluded = await ResourceInstance.StartAsync(ThreeNodes + "\n[resource]\nexclude = \"1\"\n", rc1, statedir))
        {
            await using var h = await excluded.ConnectAsync();
            Assert.Equal(["2"], (await h.RpcAsync("resource.status"))!["drained"]!.AsObject().Select(kv => kv.Key));
            var log = Eventlog.Parse((await h.KvsGetStringAsync("resource.eventlog"))!);
            Assert.Contains(log, e => e.Name == "undrain" && e.Context!["idset"]!.GetValue<string>() == "1");
        }
        TempDirs.Remove(statedir);
    }
}
