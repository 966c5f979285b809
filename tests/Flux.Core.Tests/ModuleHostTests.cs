// Module host: loading by path, side-by-side dependency versions, contract checks, faults, and
// collection of an unloaded module's load context.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Modules;

namespace Flux.Core.Tests;

public sealed class ModuleHostTests
{
    [Fact]
    public async Task Load_TwoVersionsOfOneLibrary_EachModuleUsesItsOwn()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("YamlV13Module"));
        await Load(h, Repo.TestPlugin("YamlV16Module"));
        var v13 = await h.RpcAsync("yaml13.version");
        var v16 = await h.RpcAsync("yaml16.version");
        Assert.StartsWith("13.", v13!["version"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("16.", v16!["version"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("value13", v13["value"]!.GetValue<string>());
        Assert.Equal("value16", v16["value"]!.GetValue<string>());
        Assert.NotEqual(v13["context"]!.GetValue<string>(), v16["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task Remove_Module_LoadContextIsCollected()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("YamlV16Module"));
        await h.RpcAsync("yaml16.version");
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = "yaml16" });
        var weak = Assert.Single(inst.Broker.Modules.Unloaded);
        Assert.True(WaitCollected(weak), "the removed module's AssemblyLoadContext was not collected: something still references its code");
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("yaml16.version"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }

    [Fact]
    public void ReadyToRun_IsDetected_AndDecidesWhetherTheContextIsCollectible()
    {
        // The runtime ignores precompiled code in a collectible context, so a ReadyToRun plugin is
        // loaded into a context that stays; an IL plugin into one that is collected after removal.
        var framework = Flux.Client.Plugins.PluginMetadata.Read(typeof(JsonObject).Assembly.Location)!;
        Assert.True(framework.IsReadyToRun, "the shared framework's System.Text.Json is ReadyToRun");
        var il = Flux.Client.Plugins.PluginMetadata.Read(Repo.TestPlugin("YamlV16Module"))!;
        Assert.False(il.IsReadyToRun);
        var (ctx, _) = Flux.Client.Plugins.PluginLoader.Load(il, Assert.Single(il.Entries));
        Assert.True(ctx.IsCollectible);
        ctx.Unload();
    }

    [Fact]
    public void NotCollectibleContext_IsMadeOncePerFile_AndItsAssemblyLoadedOnce()
    {
        // The runtime uses an image's ReadyToRun code in the first context that loads it only: a second
        // module of the same assembly (content and content-sqlite, kvs and kvs-watch), or a reload of a
        // built-in, must get the same context and assembly, or it JITs every method again.
        var path = Repo.TestPlugin("YamlV16Module");
        var first = Flux.Client.Plugins.PluginLoadContext.ForLoad("module:a", path, collectible: false);
        var second = Flux.Client.Plugins.PluginLoadContext.ForLoad("module:b", path, collectible: false);
        Assert.Same(first, second);
        Assert.False(first.IsCollectible);
        Assert.Same(first.LoadPluginAssembly(), second.LoadPluginAssembly());
        var weak = LoadAndUnloadCollectible(path, first.LoadPluginAssembly());
        Assert.True(WaitCollected(weak), "a collectible context was kept alive by its loaded plugin assembly");
    }

    [Fact]
    public async Task Load_IncompatibleContractMajor_IsRefusedWithReason()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => Load(h, Repo.TestPlugin("BadContractModule")));
        Assert.Contains("built against Flux.Abstractions 9.0.0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("major", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_Twice_IsEexist_AndUnknownNameIsEnoent()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("FaultyModule"));
        var dup = await Assert.ThrowsAsync<FluxException>(() => Load(h, Repo.TestPlugin("FaultyModule")));
        Assert.Equal(Errno.EEXIST, dup.Errnum);
        var missing = await Assert.ThrowsAsync<FluxException>(() => Load(h, "no-such-module"));
        Assert.Equal(Errno.ENOENT, missing.Errnum);
        var notLoaded = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("module.remove", new JsonObject { ["name"] = "nope" }));
        Assert.Equal(Errno.ENOENT, notLoaded.Errnum);
    }

    [Fact]
    public async Task FaultyModule_HandlerThrows_AnsweredWithErrorAndBrokerLives()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("FaultyModule"));
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("faulty.throw"));
        Assert.Contains("handler exploded", ex.Message, StringComparison.Ordinal);
        Assert.Contains("faulty", ex.Message, StringComparison.Ordinal);
        var custom = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("faulty.errno"));
        Assert.Equal(Errno.EEXIST, custom.Errnum);
        await h.RpcAsync("faulty.ping");
        var log = inst.Broker.Log.Snapshot();
        Assert.Contains(log, e => e.Name == "faulty" && e.Text.Contains("handler exploded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FaultyModule_BackgroundWorkThrows_CallerGetsErrorAndFaultIsLogged()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("FaultyModule"));
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("faulty.background").WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(Errno.EIO, ex.Errnum);
        Assert.Contains("background lookup", ex.Message, StringComparison.Ordinal);
        Assert.Contains("background work exploded", ex.Message, StringComparison.Ordinal);
        await h.RpcAsync("faulty.ping");
        var log = inst.Broker.Log.Snapshot();
        Assert.Contains(log, e => e.Name == "faulty" && e.Text.Contains("background lookup failed", StringComparison.Ordinal) && e.Text.Contains("background work exploded", StringComparison.Ordinal));
        Assert.Contains(log, e => e.Name == "faulty" && e.Text.Contains("cleanup ran after background lookup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FaultyModule_FailsWhileLoading_LoadFailsAndNothingRemains()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var req = new JsonObject { ["path"] = Repo.TestPlugin("FaultyModule"), ["args"] = new JsonArray("fail-load") };
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("module.load", req));
        Assert.Contains("asked to fail while loading", ex.Message, StringComparison.Ordinal);
        Assert.Empty(inst.Broker.Modules.Modules);
        var gone = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("faulty.ping"));
        Assert.Equal(Errno.ENOSYS, gone.Errnum);
    }

    [Fact]
    public async Task FaultyModule_LoopCrashes_ModuleIsUnloadedAndLogged()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("FaultyModule"));
        var removed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        inst.Broker.Modules.Removed += name => removed.TrySetResult(name);
        await h.RpcAsync("faulty.crash");
        Assert.Equal("faulty", await removed.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(inst.Broker.Modules.Modules);
        Assert.Contains(inst.Broker.Log.Snapshot(), e => e.Text.Contains("unhandled exception", StringComparison.Ordinal) && e.Text.Contains("faulty", StringComparison.Ordinal));
        await h.RpcAsync("broker.ping");
    }

    [Fact]
    public async Task List_ShowsNameServicesOrder_AndStatsCountMessages()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("YamlV13Module"));
        await Load(h, Repo.TestPlugin("FaultyModule"));
        for (var i = 0; i < 3; i++)
        {
            await h.RpcAsync("yaml13.version");
        }
        var list = await h.RpcAsync("module.list");
        var mods = list!["mods"]!.AsArray();
        Assert.Equal(["yaml13", "faulty"], mods.Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal([1, 2], mods.Select(m => m!["order"]!.GetValue<int>()));
        Assert.Contains("yaml13", mods[0]!["services"]!.AsArray().Select(s => s!.GetValue<string>()));
        var stats = await h.RpcAsync("yaml13.stats-get");
        Assert.True(stats!["request.rx"]!.GetValue<long>() >= 3);
        Assert.True(stats["response.tx"]!.GetValue<long>() >= 3);
    }

    private static Task<JsonObject?> Load(IFlux h, string path) =>
        h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["args"] = new JsonArray() });

    // A collectible context of the same file is another context with its own assembly, collected after unload.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadAndUnloadCollectible(string path, System.Reflection.Assembly resident)
    {
        var collectible = Flux.Client.Plugins.PluginLoadContext.ForLoad("module:c", path, collectible: true);
        Assert.NotSame(resident, collectible.LoadPluginAssembly());
        collectible.Unload();
        return new WeakReference(collectible);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool WaitCollected(WeakReference weak)
    {
        for (var i = 0; i < 100 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return !weak.IsAlive;
    }
}
