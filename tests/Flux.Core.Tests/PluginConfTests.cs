// A hosted plugin's per-load conf bound to IOptions<T> (AddFluxPluginConf): values, unknown keys, wrong types, shared keys, hosts without a conf.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flux.Core.Tests;

public sealed class PluginConfTests
{
    private static async Task<T> WithHandle<T>(Func<IFlux, T> test)
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        return test(h);
    }

    private static (object Instance, ServiceProvider Provider) Create(IFlux h, PluginConf? conf) =>
        PluginActivator.Create(typeof(EchoPlugin), h, [], s =>
        {
            if (conf is not null)
            {
                s.AddSingleton(conf);
            }
        });

    [Fact]
    public async Task Create_ConfGiven_TheConstructorSeesItBound()
    {
        var settings = await WithHandle(h =>
        {
            var (instance, provider) = Create(h, new PluginConf(PluginKind.Jobtap, "echo", new JsonObject { ["greeting"] = "yo", ["limit"] = 3, ["period"] = "2m" }));
            using (provider)
            {
                return Assert.IsType<EchoPlugin>(instance).Settings;
            }
        });
        Assert.Equal("yo", settings.Greeting);
        Assert.Equal(3, settings.Limit);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Period);
    }

    [Fact]
    public async Task Create_EmptyConf_TheClassDefaults()
    {
        var settings = await WithHandle(h =>
        {
            var (instance, provider) = Create(h, new PluginConf(PluginKind.Jobtap, "echo", []));
            using (provider)
            {
                return Assert.IsType<EchoPlugin>(instance).Settings;
            }
        });
        Assert.Equal("hi", settings.Greeting);
        Assert.Equal(1, settings.Limit);
    }

    [Fact]
    public async Task Create_UnknownKey_FailsNamingPluginKeyAndAcceptedKeys()
    {
        var ex = await WithHandle(h => Assert.Throws<ConfigException>(() => Create(h, new PluginConf(PluginKind.Jobtap, "echo", new JsonObject { ["limt"] = 3 }))));
        Assert.Equal("jobtap plugin echo: [conf] limt: unknown key (expected one of greeting, limit, period), got 3", ex.Message);
    }

    [Fact]
    public async Task Create_UnknownKeyFromAConfigFile_NamesTheFileAndTheEntry()
    {
        var origin = new FluxConfig(new JsonObject(), new Dictionary<string, string> { ["job-manager"] = "jm.toml" });
        var conf = new PluginConf(PluginKind.Jobtap, "echo", new JsonObject { ["limt"] = 3 }, "job-manager.plugins[1].conf", origin);
        var ex = await WithHandle(h => Assert.Throws<ConfigException>(() => Create(h, conf)));
        Assert.Equal("jobtap plugin echo: jm.toml: [job-manager.plugins[1].conf] limt: unknown key (expected one of greeting, limit, period), got 3", ex.Message);
    }

    [Fact]
    public async Task Create_WrongType_FailsNamingTheKeyAndWhatItTakes()
    {
        var ex = await WithHandle(h => Assert.Throws<ConfigException>(() => Create(h, new PluginConf(PluginKind.Validator, "echo", new JsonObject { ["period"] = 5 }, "ingest.validator.echo"))));
        Assert.Equal("validator plugin echo: [ingest.validator.echo] period: expected a duration like \"30m\", got 5", ex.Message);
    }

    [Fact]
    public async Task Create_SharedKeys_OnesTheClassLacksAreDroppedOthersBound()
    {
        var conf = new PluginConf(PluginKind.Validator, "echo", new JsonObject { ["limit"] = 4, ["require-instance-minnodes"] = 2 }, "ingest.validator.echo", sharedKeys: ["limit", "require-instance-minnodes"]);
        var settings = await WithHandle(h =>
        {
            var (instance, provider) = Create(h, conf);
            using (provider)
            {
                return Assert.IsType<EchoPlugin>(instance).Settings;
            }
        });
        Assert.Equal(4, settings.Limit);
        // A shared key the class has is still checked.
        var bad = new PluginConf(PluginKind.Validator, "echo", new JsonObject { ["limit"] = "x" }, "ingest.validator.echo", sharedKeys: ["limit"]);
        var ex = await WithHandle(h => Assert.Throws<ConfigException>(() => Create(h, bad)));
        Assert.StartsWith("validator plugin echo: [ingest.validator.echo] limit: expected an integer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_HostGivesNoConf_FailsSayingWhichPluginsHaveOne()
    {
        var ex = await WithHandle(h => Assert.Throws<InvalidOperationException>(() => Create(h, null)));
        Assert.Contains("AddFluxPluginConf<EchoSettings>(): this plugin's host gives it no per-load conf (only jobtap plugins, validators, frobnicators and shell plugins have one)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFluxPluginConf_OptionsAlreadyBound_Refused()
    {
        var services = new ServiceCollection();
        services.AddFluxOptions<EchoSettings>("echo");
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddFluxPluginConf<EchoSettings>());
        Assert.Contains("IOptions<EchoSettings> is already registered", ex.Message, StringComparison.Ordinal);
        var other = new ServiceCollection().AddFluxPluginConf<EchoSettings>();
        Assert.Throws<InvalidOperationException>(() => other.AddFluxOptions<EchoSettings>("echo"));
    }

    public sealed class EchoSettings
    {
        public string Greeting { get; set; } = "hi";

        public int Limit { get; set; } = 1;

        public TimeSpan Period { get; set; }
    }

#pragma warning disable CA1812 // constructed by PluginActivator, through the service provider
    private sealed class EchoPlugin(IOptions<EchoSettings> settings) : IPluginServices
    {
        public EchoSettings Settings => settings.Value;

        public static void ConfigureServices(IServiceCollection services) => services.AddFluxPluginConf<EchoSettings>();
    }
#pragma warning restore CA1812
}
