// A module that never finishes loading or unloading holds up nothing: loads time out, other
// modules load and go, and shutdown does not wait on it.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Core.Tests;

public sealed class ModuleTimeoutTests
{
    private static InstanceOptions WithTimeout(string timeout) =>
        new() { Attributes = new Dictionary<string, string> { ["broker.module-timeout"] = timeout } };

    [Fact]
    public async Task Load_NeverCompletes_FailsWithTimeoutWhileOtherModulesComeAndGo()
    {
        await using var inst = await TestInstance.StartAsync(WithTimeout("8s"));
        await using var h = await inst.ConnectAsync();
        var loading = LoadStarted(inst);
        var hanging = Load(h, Repo.TestPlugin("FaultyModule"), "hang-load");
        await Await.Within(loading, "the module to be loading");

        // No lock is held across the hanging LoadAsync: other modules load, list and go meanwhile.
        await Await.Within(Load(h, Repo.TestPlugin("YamlV13Module")), "another module to load while one hangs");
        var list = await h.RpcAsync("module.list");
        Assert.Equal(["yaml13"], list!["mods"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        await Await.Within(h.RpcAsync("module.remove", new JsonObject { ["name"] = "yaml13" }), "another module's removal while one hangs");
        var dup = await Assert.ThrowsAsync<FluxException>(() => Load(h, Repo.TestPlugin("FaultyModule")));
        Assert.Equal(Errno.EEXIST, dup.Errnum);

        var ex = await Assert.ThrowsAsync<FluxException>(() => Await.Within(hanging, "the hanging load to time out"));
        Assert.Equal(Errno.ETIMEDOUT, ex.Errnum);
        Assert.Contains("load did not complete within 8s (broker.module-timeout)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(inst.Broker.Modules.Modules);
        var gone = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("faulty.ping"));
        Assert.Equal(Errno.ENOSYS, gone.Errnum);
        Assert.Contains("module faulty: failed to load", inst.Dmesg(), StringComparison.Ordinal);
        // The name is free again.
        await Load(h, Repo.TestPlugin("FaultyModule"));
    }

    [Fact]
    public async Task Remove_WhileLoading_CancelsTheLoad()
    {
        await using var inst = await TestInstance.StartAsync(WithTimeout("inf"));
        await using var h = await inst.ConnectAsync();
        var loading = LoadStarted(inst);
        var hanging = Load(h, Repo.TestPlugin("FaultyModule"), "hang-load");
        await Await.Within(loading, "the module to be loading");
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = "faulty" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => Await.Within(hanging, "the canceled load to fail"));
        Assert.Equal(Errno.ECANCELED, ex.Errnum);
    }

    [Fact]
    public async Task Remove_UnloadNeverCompletes_ModuleIsRemovedAnyway()
    {
        await using var inst = await TestInstance.StartAsync(WithTimeout("2s"));
        await using var h = await inst.ConnectAsync();
        await Load(h, Repo.TestPlugin("FaultyModule"), "hang-unload");
        var sw = Stopwatch.StartNew();
        await Await.Within(h.RpcAsync("module.remove", new JsonObject { ["name"] = "faulty" }), "the removal of a module whose UnloadAsync never returns");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"removal took {sw.Elapsed}");
        Assert.Empty(inst.Broker.Modules.Modules);
        Assert.Contains("UnloadAsync did not return within 2s", inst.Dmesg(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_LoadNeverCompletesAndNoTimeout_DoesNotWaitForIt()
    {
        var inst = await TestInstance.StartAsync(WithTimeout("inf"));
        Task<JsonObject?> hanging;
        await using (var h = await inst.ConnectAsync())
        {
            var loading = LoadStarted(inst);
            hanging = Load(h, Repo.TestPlugin("FaultyModule"), "hang-load");
            await Await.Within(loading, "the module to be loading");
            await Await.Within(inst.DisposeAsync().AsTask(), "shutdown with a module whose LoadAsync never returns");
        }
        await Assert.ThrowsAsync<FluxException>(() => Await.Within(hanging, "the load to end with the broker"));
    }

    private static Task<string> LoadStarted(TestInstance inst)
    {
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        inst.Broker.Modules.LoadStarted += name => started.TrySetResult(name);
        return started.Task;
    }

    private static Task<JsonObject?> Load(IFlux h, string path, params string[] args) =>
        h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]) });
}
