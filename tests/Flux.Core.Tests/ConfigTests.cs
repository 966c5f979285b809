// Configuration: directory loading, typed errors naming file and key, push to modules, refusal.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Config;

namespace Flux.Core.Tests;

public sealed class ConfigTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-config-test-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void GetDuration_IllTyped_NamesFileTableAndKey()
    {
        File.WriteAllText(Path.Combine(_dir, "system.toml"), "[kvs]\ncheckpoint-period = 42\n");
        var config = ConfigLoader.Load(_dir);
        var ex = Assert.Throws<ConfigException>(() => config.GetDuration("kvs.checkpoint-period", 0));
        Assert.Equal("system.toml: [kvs] checkpoint-period: expected a duration like \"30m\", got 42", ex.Message);
    }

    [Fact]
    public void TypedGetters_ReadFormats()
    {
        File.WriteAllText(Path.Combine(_dir, "a.toml"), "[kvs]\ncheckpoint-period = \"30m\"\n[resource]\nexclude = \"test[1-2]\"\nranks = \"0-3,7\"\n");
        var config = ConfigLoader.Load(_dir);
        Assert.Equal(1800, config.GetDuration("kvs.checkpoint-period", 0));
        Assert.Equal(2, config.GetHostlist("resource.exclude")!.Count);
        Assert.Equal(5, config.GetIdSet("resource.ranks")!.Count);
        Assert.Equal(9, config.GetDuration("kvs.missing", 9));
        var bad = Assert.Throws<ConfigException>(() => config.GetIdSet("resource.exclude"));
        Assert.StartsWith("a.toml: [resource] exclude: expected an idset", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenToml_ReportsFileLineColumn()
    {
        File.WriteAllText(Path.Combine(_dir, "system.toml"), "[kvs]\nhosts = 1\nhosts = 2\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir));
        Assert.Equal("system.toml:3:1: duplicate key 'hosts' (first defined at line 2)", ex.Message);
    }

    [Fact]
    public async Task Reload_ModuleRefuses_NothingChanges_ThenAccepts()
    {
        var file = Path.Combine(_dir, "test.toml");
        File.WriteAllText(file, "[test]\nperiod = \"30m\"\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("module.load", new JsonObject { ["path"] = Repo.TestPlugin("ConfigCheckModule"), ["args"] = new JsonArray() });
        Assert.Equal(1800, (await h.RpcAsync("configcheck.get"))!["period"]!.GetValue<double>());

        File.WriteAllText(file, "[test]\nperiod = 42\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("config.reload"));
        Assert.Equal("module configcheck refused the new configuration: test.toml: [test] period: expected a duration like \"30m\", got 42", ex.Message);
        var got = await h.RpcAsync("configcheck.get");
        Assert.Equal(1800, got!["period"]!.GetValue<double>());
        Assert.Equal(1800, got["handle-period"]!.GetValue<double>());
        var conf = await h.RpcAsync("config.get");
        Assert.Equal("30m", conf!["config"]!["test"]!["period"]!.GetValue<string>());

        File.WriteAllText(file, "[test]\nperiod = \"1h\"\n");
        await h.RpcAsync("config.reload");
        got = await h.RpcAsync("configcheck.get");
        Assert.Equal(3600, got!["period"]!.GetValue<double>());
        Assert.Equal(3600, got["handle-period"]!.GetValue<double>());
    }

    [Fact]
    public async Task Load_ModuleWithIllTypedConfig_LoadFailsWithConfigError()
    {
        File.WriteAllText(Path.Combine(_dir, "test.toml"), "[test]\nperiod = true\n");
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { ConfigPath = _dir });
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("module.load", new JsonObject { ["path"] = Repo.TestPlugin("ConfigCheckModule"), ["args"] = new JsonArray() }));
        Assert.Contains("test.toml: [test] period: expected a duration like \"30m\", got true", ex.Message, StringComparison.Ordinal);
    }
}
