// FluxTestInstance as a plugin's tests use it: a module by type and by path, the KVS, guests, configuration, errors.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Testing.Tests;

public sealed class FluxTestInstanceTests
{
    // In the repository the modules are in the build output; a package's test has them beside it.
    private static FluxTestOptions Options(string? config = null, bool kvs = true)
    {
        var o = new FluxTestOptions { Config = config, Kvs = kvs };
        o.ModulePath.Add(Repo.Modules);
        return o;
    }

    private static long Count(JsonObject? r) => r!["count"]!.GetValue<long>();

    [Fact]
    public async Task LoadModuleByType_RemovedAndLoadedAgain_KeepsItsStateInTheKvs()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("counter", await instance.LoadModuleAsync<CounterModule>("start=10"));
        Assert.Equal(11, Count(await instance.Flux.RpcAsync("counter.next")));
        Assert.Equal(12, Count(await instance.Flux.RpcAsync("counter.next")));
        Assert.Equal("12", await instance.Flux.KvsGetStringAsync("counter.value"));

        await instance.RemoveModuleAsync("counter");
        var gone = await Assert.ThrowsAsync<FluxException>(() => instance.Flux.RpcAsync("counter.next"));
        Assert.Equal(Errno.ENOSYS, gone.Errnum);
        await instance.LoadModuleAsync<CounterModule>();
        Assert.Equal(13, Count(await instance.Flux.RpcAsync("counter.next")));
    }

    [Fact]
    public async Task LoadModuleByType_AnotherName_ServesThatName()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("other", await instance.LoadModuleAsync(typeof(CounterModule), "other", ["start=5"]));
        Assert.Equal(6, Count(await instance.Flux.RpcAsync("other.next")));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.Flux.RpcAsync("counter.next"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }

    [Fact]
    public async Task LoadModule_LoadThrows_FailsWithTheModulesError()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadModuleAsync<CounterModule>("fail=no disk"));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("no disk", ex.Message, StringComparison.Ordinal);
        // Not loaded, so the name is free again.
        Assert.Equal("counter", await instance.LoadModuleAsync<CounterModule>());
    }

    [Fact]
    public async Task LoadModule_TypeNotAModule_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options(kvs: false));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadModuleAsync(typeof(string), null));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("System.String is not marked [FluxPlugin(NAME, PluginKind.Module)]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadModuleByPath_ConfigReloaded_ModuleSeesTheNewValue()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options("[test]\nperiod = \"1m\"\n", kvs: false));
        Assert.Equal("configcheck", await instance.LoadModuleAsync(Repo.TestPlugin("ConfigCheckModule")));
        Assert.Equal(60, (await instance.Flux.RpcAsync("configcheck.get"))!["period"]!.GetValue<double>());

        await instance.ReloadConfigAsync("[test]\nperiod = \"2h\"\n");
        Assert.Equal(7200, (await instance.Flux.RpcAsync("configcheck.get"))!["period"]!.GetValue<double>());

        var refused = await Assert.ThrowsAsync<FluxException>(() => instance.ReloadConfigAsync("[test]\nperiod = \"soon\"\n"));
        Assert.Contains("module configcheck refused the new configuration", refused.Message, StringComparison.Ordinal);
        Assert.Equal(7200, (await instance.Flux.RpcAsync("configcheck.get"))!["period"]!.GetValue<double>());
    }

    [Fact]
    public async Task LoadModuleByPath_AssemblyWithSeveralModules_NamesThemAndHowToPickOne()
    {
        var kvs = Path.Combine(Repo.Modules, "Flux.Modules.Kvs", "Flux.Modules.Kvs.dll");
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.RemoveModuleAsync("kvs-watch");
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadModuleAsync(kvs));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("Flux.Modules.Kvs.dll holds several modules (kvs, kvs-watch): name one with -n NAME", ex.Message);
        // What the message says works.
        Assert.Equal("kvs-watch", await instance.LoadModuleAsync(kvs, "kvs-watch"));
    }

    [Fact]
    public async Task Guest_CallsAnOwnerOnlyService_IsRefused()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadModuleAsync<CounterModule>();
        var guest = await instance.ConnectAsync(guestUserId: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("counter.next"));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        Assert.Equal(1, Count(await instance.Flux.RpcAsync("counter.next")));
    }

    [Fact]
    public async Task StartWithoutKvs_KvsRequest_HasNoService()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options(kvs: false));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.Flux.KvsGetStringAsync("a"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }

    [Fact]
    public async Task LogLines_ModuleLoaded_ShowsTheBrokersRecord()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadModuleAsync<CounterModule>();
        Assert.Contains(instance.LogLines(), l => l.StartsWith("broker: ", StringComparison.Ordinal) && l.Contains("counter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadConfig_StartedWithoutConfig_SaysHowToEnableIt()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options(kvs: false));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => instance.ReloadConfigAsync(""));
        Assert.Contains("FluxTestOptions.Config", ex.Message, StringComparison.Ordinal);
    }
}
