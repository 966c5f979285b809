// The resource module: inventory from config (RFC 20), drain/undrain rules and errors, resource.status, RFC 28 acquire.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Resource.Tests;

public sealed class ResourceModuleTests
{
    internal const string FourNodes = """
        [[resource.config]]
        hosts = "node[0-3]"
        cores = "0-3"

        [[resource.config]]
        hosts = "node[2-3]"
        gpus = "0-1"
        properties = ["gpu"]

        [resource]
        exclude = "node3"
        """;

    [Fact]
    public async Task Status_NoResourceConfig_IsThisMachine()
    {
        await using var inst = await ResourceInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var status = (await h.RpcAsync("resource.status"))!;
        var r = Rv1.Parse(status["R"]!);
        Assert.Equal(1, r.NodeCount);
        Assert.Equal(Environment.MachineName, r.Nodes[0].Hostname);
        Assert.Equal(0u, r.Nodes[0].Rank);
        Assert.Equal(Environment.ProcessorCount, r.CoreCount);
        Assert.Equal(0, r.GpuCount);
        Assert.Equal("0", status["online"]!.GetValue<string>());
        Assert.Equal("", status["offline"]!.GetValue<string>());
        Assert.Equal("", status["exclude"]!.GetValue<string>());
        Assert.Empty(status["drained"]!.AsObject());
    }

    [Fact]
    public async Task Config_EntriesAndExcludedHost_StatusHasAllAcquireWithholdsExcluded()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        var status = (await h.RpcAsync("resource.status"))!;
        var r = Rv1.Parse(status["R"]!);
        Assert.Equal("rank[0-1]/core[0-3] rank[2-3]/core[0-3],gpu[0-1]", r.ToShortString());
        Assert.Equal("node[0-3]", r.Nodelist.ToString());
        Assert.Equal("3", status["exclude"]!.GetValue<string>());
        Assert.Equal("0-3", status["online"]!.GetValue<string>());

        await using var stream = h.StreamAsync(Message.Request("resource.acquire")).GetAsyncEnumerator();
        Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the first resource.acquire response"));
        var first = stream.Current.GetJson();
        var acquired = Rv1.Parse(first["resources"]!);
        Assert.Equal("rank[0-1]/core[0-3] rank2/core[0-3],gpu[0-1]", acquired.ToShortString());
        Assert.Equal("2", acquired.Properties["gpu"].ToString());
        Assert.Equal("0-2", first["up"]!.GetValue<string>());
    }

    [Fact]
    public async Task Config_PathAndReserve_ReadsRFileAndWithholdsCores()
    {
        var rdir = TempDirs.Create("flux-resource-r-");
        var rfile = Path.Combine(rdir, "R.json");
        File.WriteAllText(rfile, Rv1.Encode(IdSet.Parse("0-1"), IdSet.Parse("0-7"), null, Hostlist.Parse("big[0-1]")).ToString());
        await using var inst = await ResourceInstance.StartAsync($"""
            [resource]
            path = "{rfile}"
            reserve = "0-1@0 0"
            norestrict = true
            """);
        await using var h = await inst.ConnectAsync();
        Assert.Equal("rank[0-1]/core[0-7]", Rv1.Parse((await h.RpcAsync("resource.status"))!["R"]!).ToShortString());
        await using var stream = h.StreamAsync(Message.Request("resource.acquire")).GetAsyncEnumerator();
        Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the first resource.acquire response"));
        Assert.Equal("rank0/core[2-7] rank1/core[1-7]", Rv1.Parse(stream.Current.GetJson()["resources"]!).ToShortString());
        TempDirs.Remove(rdir);
    }

    [Theory]
    [InlineData("[resource]\nexclude = \"node9\"", "resource.toml: [resource] exclude: invalid hosts: node9")]
    [InlineData("[resource]\nexclude = \"7\"", "resource.toml: [resource] exclude: rank 7 is not in the resource set")]
    [InlineData("[resource]\nexclude = 3", "resource.toml: [resource] exclude: expected a string, got 3")]
    [InlineData("[resource]\nbogus = 1", "resource.toml: [resource] bogus: unknown key")]
    [InlineData("[resource]\npath = \"/nonexistent/R\"", "resource.toml: [resource] path: /nonexistent/R: No such file or directory")]
    [InlineData("[[resource.config]]\nhosts = \"x[\"", "resource.config[0]: invalid hostlist 'x['")]
    [InlineData("[[resource.config]]\nhosts = \"x1\"\ncores = 5", "[resource.config[0]] cores: expected a string, got 5")]
    [InlineData("[[resource.config]]\ncores = \"0\"", "[resource.config[0]] hosts: required key is missing")]
    public async Task Config_Bad_LoadFailsNamingFileAndKey(string tail, string expected)
    {
        var toml = tail.Contains("resource.config", StringComparison.Ordinal) || tail.Contains("path", StringComparison.Ordinal) ? tail : "[[resource.config]]\nhosts = \"node[0-1]\"\ncores = \"0-1\"\n" + tail;
        var ex = await Assert.ThrowsAnyAsync<FluxException>(() => ResourceInstance.StartAsync(toml));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("module resource: ", ex.Message, StringComparison.Ordinal);
    }

    [KvsFact]
    public async Task Rc1_ModuleFails_ItsDependentsDoNotLoad_StartReportsIt()
    {
        // rc1 loads resource and job-manager side by side once kvs is up, and sched-simple once both
        // are: resource fails, so sched-simple is never loaded, and the start reports resource's error
        // only after job-manager's load has ended.
        var conf = TempDirs.Create("flux-test-conf-", "resource.toml", "[resource]\nbogus = 1\n");
        var options = new Flux.Core.Broker.BrokerOptions
        {
            LoopName = $"rc1-fails-{Environment.ProcessId}",
            ConfigPath = conf,
            Rc1Modules = ["content", "kvs", "resource", "job-manager", "sched-simple"],
        };
        options.Attributes["conf.module_path"] = Repo.Modules;
        options.Attributes["conf.jobtap_pluginpath"] = Repo.Jobtap;
        var broker = new Flux.Core.Broker.Broker(options);
        try
        {
            var ex = await Assert.ThrowsAnyAsync<FluxException>(() => broker.StartAsync());
            Assert.StartsWith("module resource: ", ex.Message, StringComparison.Ordinal);
            Assert.Contains("[resource] bogus: unknown key", ex.Message, StringComparison.Ordinal);
            var log = broker.Log.Snapshot().Select(e => e.Text).ToList();
            Assert.DoesNotContain(log, t => t.StartsWith("module sched-simple", StringComparison.Ordinal));
            Assert.Contains(log, t => t.StartsWith("module job-manager: loaded", StringComparison.Ordinal));
        }
        finally
        {
            await broker.DisposeAsync();
            Directory.Delete(conf, recursive: true);
        }
    }

    [Fact]
    public async Task Drain_Errors_AreFluxCoresTexts()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        async Task<FluxException> Fails(string topic, JsonObject payload) =>
            await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync(topic, payload));

        var ex = await Fails("resource.drain", new JsonObject { ["targets"] = "5" });
        Assert.Equal((Errno.EINVAL, "rank 5 is not in the resource set"), (ex.Errnum, ex.Message));
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "2-6" });
        Assert.Equal("ranks 4-6 are not in the resource set", ex.Message);
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "node3" });
        Assert.Equal((Errno.EINVAL, "rank 3 excluded"), (ex.Errnum, ex.Message));
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "nosuch[1-2]" });
        Assert.Equal("invalid targets: invalid hosts: nosuch[1-2]", ex.Message);
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "0", ["mode"] = "sometimes" });
        Assert.Equal("Invalid mode specified", ex.Message);

        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0-1", ["reason"] = "first" });
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "1", ["reason"] = "again" });
        Assert.Equal((Errno.EEXIST, "rank 1 already drained"), (ex.Errnum, ex.Message));
        ex = await Fails("resource.drain", new JsonObject { ["targets"] = "0-1,3" });
        Assert.Equal((Errno.EEXIST, "ranks 0-1,3 already drained or excluded"), (ex.Errnum, ex.Message));
        ex = await Fails("resource.undrain", new JsonObject { ["targets"] = "1-2" });
        Assert.Equal((Errno.EINVAL, "node2 (rank 2) not drained"), (ex.Errnum, ex.Message));
        await h.RpcAsync("resource.undrain", new JsonObject { ["targets"] = "1-2", ["mode"] = "force" });
        Assert.Equal(["0"], ((await h.RpcAsync("resource.status"))!["drained"]!.AsObject()).Select(kv => kv.Key));
    }

    [Fact]
    public async Task Drain_Modes_KeepOrReplaceReasonAndTimestamp()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        async Task<(double Timestamp, string Reason)> Info(string ranks)
        {
            var d = (await h.RpcAsync("resource.status"))!["drained"]![ranks]!;
            return (d["timestamp"]!.GetValue<double>(), d["reason"]!.GetValue<string>());
        }
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "node1", ["reason"] = "disk" });
        var first = await Info("1");
        Assert.Equal("disk", first.Reason);
        Assert.InRange(first.Timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "1", ["reason"] = "ignored", ["mode"] = "update" });
        Assert.Equal(first, await Info("1"));
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "1", ["reason"] = "memory", ["mode"] = "overwrite" });
        Assert.Equal((first.Timestamp, "memory"), await Info("1"));

        // update drains what is not drained yet and leaves the rest; force-overwrite also renews the timestamp.
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0-1", ["reason"] = "memory", ["mode"] = "update" });
        var drained = (await h.RpcAsync("resource.status"))!["drained"]!.AsObject();
        Assert.Equal(2, drained.Sum(kv => IdSet.Parse(kv.Key).Count));
        Assert.All(drained, kv => Assert.Equal("memory", kv.Value!["reason"]!.GetValue<string>()));
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "1", ["reason"] = "cpu", ["mode"] = "force-overwrite" });
        var renewed = await Info("1");
        Assert.Equal("cpu", renewed.Reason);
        Assert.True(renewed.Timestamp >= first.Timestamp);
    }

    [Fact]
    public async Task Acquire_DrainAndUndrain_StreamDownThenUp()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        await using var stream = h.StreamAsync(Message.Request("resource.acquire")).GetAsyncEnumerator();
        Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the first resource.acquire response"));
        Assert.Equal("0-2", stream.Current.GetJson()["up"]!.GetValue<string>());

        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "node[1-2]", ["reason"] = "maintenance" });
        Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the down response"));
        Assert.Equal(new JsonObject { ["down"] = "1-2" }.ToJsonString(), stream.Current.GetJson().ToJsonString());

        await h.RpcAsync("resource.undrain", new JsonObject { ["targets"] = "2" });
        Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the up response"));
        Assert.Equal(new JsonObject { ["up"] = "2" }.ToJsonString(), stream.Current.GetJson().ToJsonString());

        // A second subscriber starts with the current state.
        await using var late = h.StreamAsync(Message.Request("resource.acquire")).GetAsyncEnumerator();
        Assert.True(await Await.Within(late.MoveNextAsync().AsTask(), "the first response to a late subscriber"));
        Assert.Equal("0,2", late.Current.GetJson()["up"]!.GetValue<string>());
    }

    [Fact]
    public async Task Acquire_SubscriberGoneAway_IsDroppedAndDrainStillWorks()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        await using (var gone = await inst.ConnectAsync())
        {
            await using var stream = gone.StreamAsync(Message.Request("resource.acquire")).GetAsyncEnumerator();
            Assert.True(await Await.Within(stream.MoveNextAsync().AsTask(), "the first resource.acquire response"));
        }
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0" });
        await h.RpcAsync("resource.undrain", new JsonObject { ["targets"] = "0" });
        Assert.Contains("acquire subscriber", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_All_DrainsEveryIncludedRankAndUndrainsEveryDrainedOne()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "all", ["reason"] = "power" });
        var drained = (await h.RpcAsync("resource.status"))!["drained"]!.AsObject();
        Assert.Equal("0-2", Assert.Single(drained).Key);
        await h.RpcAsync("resource.undrain", new JsonObject { ["targets"] = "all" });
        Assert.Empty((await h.RpcAsync("resource.status"))!["drained"]!.AsObject());
    }

    [Fact]
    public async Task Guest_MayReadStatus_MayNotDrainOrAcquire()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        Assert.NotNull((await guest.RpcAsync("resource.status"))!["R"]);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0" }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("resource.acquire"));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }

    [Fact]
    public async Task Acquire_NotStreaming_IsEproto()
    {
        await using var inst = await ResourceInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("resource.acquire"));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
    }

    [Fact]
    public async Task Drain_WithoutKvs_IsKeptInMemoryAndSaidOnce()
    {
        await using var inst = await ResourceInstance.StartAsync(FourNodes);
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "0" });
        await h.RpcAsync("resource.drain", new JsonObject { ["targets"] = "1" });
        var said = inst.Dmesg().Split('\n').Count(l => l.Contains("kvs service is not loaded", StringComparison.Ordinal));
        Assert.Equal(1, said);
        // Ranks drained at the same (rounded) time are grouped under one key ("0-1"); two drains
        // that straddle a rounding boundary are two keys, so check each rank, not the grouping.
        var drained = (await h.RpcAsync("resource.status"))!["drained"]!.AsObject();
        var ranks = drained.SelectMany(kv => IdSet.Parse(kv.Key)).Order().ToList();
        Assert.Equal([0u, 1u], ranks);
        Assert.All(drained, kv => Assert.Equal("", kv.Value!["reason"]!.GetValue<string>()));
    }
}
