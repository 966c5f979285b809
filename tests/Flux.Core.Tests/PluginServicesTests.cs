// A module's own services (IPluginServices), typed options bound from its table (load, unknown key,
// reload, refused reload), and the instruments of its IMeterFactory in NAME.stats-get.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Core.Tests;

public sealed class PluginServicesTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-services-test-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigFile => Path.Combine(_dir, "services.toml");

    private static Task<JsonObject?> Load(IFlux h) =>
        h.RpcAsync("module.load", new JsonObject { ["path"] = Repo.TestPlugin("ServicesModule"), ["args"] = new JsonArray() });

    [Fact]
    public async Task Load_ModuleRegistersItsOwnService_ConstructorGetsItWithBoundOptions()
    {
        File.WriteAllText(ConfigFile, "[services]\ngreeting = \"Hi\"\nperiod = \"30s\"\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        await Load(h);
        var greet = await h.RpcAsync("services.greet", new JsonObject { ["name"] = "Ada" });
        Assert.Equal("Hi, Ada", greet!["greeting"]!.GetValue<string>());
        var got = await h.RpcAsync("services.get");
        Assert.Equal(30, got!["period"]!.GetValue<double>());
    }

    [Fact]
    public async Task Load_AbsentTable_GivesTheClassDefaults()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h);
        var got = await h.RpcAsync("services.get");
        Assert.Equal("hello", got!["greeting"]!.GetValue<string>());
        Assert.Equal(60, got["period"]!.GetValue<double>());
    }

    [Fact]
    public async Task Load_UnknownKey_IsRefusedNamingTableKeyAndAcceptedKeys()
    {
        File.WriteAllText(ConfigFile, "[services]\ngreting = \"Hi\"\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => Load(h));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("services.toml: [services] greting: unknown key (expected one of greeting, period)", ex.Message, StringComparison.Ordinal);
        var list = await h.RpcAsync("module.list");
        Assert.DoesNotContain(list!["mods"]!.AsArray(), m => m!["name"]!.GetValue<string>() == "services");
    }

    [Fact]
    public async Task Load_IllTypedValue_IsRefusedNamingTheKey()
    {
        File.WriteAllText(ConfigFile, "[services]\nperiod = 5\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => Load(h));
        Assert.Contains("services.toml: [services] period: expected a duration like \"30m\", got 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ChangesTheMonitorsValue_FiresOnChange_KeepsIOptionsAtLoad()
    {
        File.WriteAllText(ConfigFile, "[services]\ngreeting = \"Hi\"\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        await Load(h);
        File.WriteAllText(ConfigFile, "[services]\ngreeting = \"Bonjour\"\n");
        await h.RpcAsync("config.reload");
        var got = await h.RpcAsync("services.get");
        Assert.Equal("Bonjour", got!["greeting"]!.GetValue<string>());
        Assert.Equal("Hi", got["at-load"]!.GetValue<string>());
        Assert.Equal(new[] { "Bonjour" }, got["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        var greet = await h.RpcAsync("services.greet", new JsonObject { ["name"] = "Ada" });
        Assert.Equal("Bonjour, Ada", greet!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reload_TableNoLongerBinds_IsRefusedWithTheMessage_AndKeepsTheOldValue()
    {
        File.WriteAllText(ConfigFile, "[services]\ngreeting = \"Hi\"\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        await Load(h);
        File.WriteAllText(ConfigFile, "[services]\ngreeting = \"Hey\"\nperod = \"1m\"\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("config.reload"));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("module services refused the new configuration: services.toml: [services] perod: unknown key (expected one of greeting, period), got \"1m\"", ex.Message);
        var got = await h.RpcAsync("services.get");
        Assert.Equal("Hi", got!["greeting"]!.GetValue<string>());
        Assert.Empty(got["changes"]!.AsArray());
        var conf = await h.RpcAsync("config.get");
        Assert.Equal("Hi", conf!["config"]!["services"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task StatsGet_ListsTheModulesInstruments_NextToTheMessageCounters_AndReloadStartsFromZero()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await Load(h);
        await h.RpcAsync("services.greet", new JsonObject { ["name"] = "Ada" });
        await h.RpcAsync("services.greet", new JsonObject { ["name"] = "Grace" });
        var stats = await h.RpcAsync("services.stats-get");
        Assert.NotNull(stats!["request.rx"]);
        // One greeting counted by the constructor, two by requests.
        Assert.Equal(3, stats["greetings"]!.GetValue<long>());
        Assert.Equal(2, stats["open"]!.GetValue<long>());
        Assert.Equal(50, stats["depth"]!.GetValue<long>());
        var sizes = stats["name-length"]!.AsObject();
        Assert.Equal(2, sizes["count"]!.GetValue<long>());
        Assert.Equal(8.0, sizes["sum"]!.GetValue<double>());
        Assert.Equal(3.0, sizes["min"]!.GetValue<double>());
        Assert.Equal(5.0, sizes["max"]!.GetValue<double>());
        var broker = await h.RpcAsync("module.stats", new JsonObject { ["name"] = "services" });
        Assert.Equal(3, broker!["greetings"]!.GetValue<long>());

        await h.RpcAsync("module.remove", new JsonObject { ["name"] = "services" });
        await Load(h);
        stats = await h.RpcAsync("services.stats-get");
        Assert.Equal(1, stats!["greetings"]!.GetValue<long>());
        Assert.Equal(0, stats["name-length"]!["count"]!.GetValue<long>());
        Assert.Null(stats["name-length"]!["min"]);
    }

    [Fact]
    public async Task Create_CallsConfigureServicesBeforeTheConstructor_AndTheHostsServicesWin()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var hostClock = new FixedClock();
        var (instance, provider) = PluginActivator.Create(typeof(SelfServed), h, [], s => s.AddSingleton<TimeProvider>(hostClock));
        using (provider)
        {
            var plugin = Assert.IsType<SelfServed>(instance);
            Assert.Equal("registered by the plugin", plugin.Dependency.Text);
            Assert.Same(hostClock, plugin.Time);
        }
    }

    [Fact]
    public async Task Create_ConfigureServicesThrows_TheLoadFailsWithItsError()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = Assert.Throws<InvalidOperationException>(() => PluginActivator.Create(typeof(FailingServices), h, []));
        Assert.Equal("no services today", ex.Message);
    }

    private sealed class FixedClock : TimeProvider;

#pragma warning disable CA1812 // constructed by PluginActivator, through the service provider

    private sealed class Dependency
    {
        public string Text { get; } = "registered by the plugin";
    }

    private sealed class SelfServed(Dependency dependency, TimeProvider time) : IPluginServices
    {
        public Dependency Dependency => dependency;

        public TimeProvider Time => time;

        public static void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<Dependency>();
            services.AddSingleton<TimeProvider>(new FixedClock());
        }
    }

    private sealed class FailingServices : IPluginServices
    {
        public static void ConfigureServices(IServiceCollection services) => throw new InvalidOperationException("no services today");
    }
#pragma warning restore CA1812
}
