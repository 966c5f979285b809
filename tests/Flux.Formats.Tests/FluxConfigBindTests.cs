// FluxConfigFormats.Bind: a configuration table bound to a class, with errors that name the file, the table and the key.
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class FluxConfigBindTests
{
    public enum Mode { Fast, VerySafe }

    public sealed class Limit
    {
        public string Queue { get; set; } = "";

        public int MaxJobs { get; set; }
    }

    public sealed class Inner
    {
        public bool Enabled { get; set; }
    }

    public sealed class Settings
    {
        public long Start { get; set; }

        public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

        public IdSet? Ranks { get; set; }

        public Hostlist? Hosts { get; set; }

        public Mode Mode { get; set; }

        public List<Limit> Limits { get; set; } = [];

        public Inner Inner { get; set; } = new();

        [JsonPropertyName("curve_cert")]
        public string? CurveCert { get; set; }
    }

    public sealed class Needs
    {
        public required string Owner { get; set; }
    }

    private static FluxConfig Config(string json) =>
        new((JsonObject)JsonNode.Parse(json)!, new Dictionary<string, string> { ["counter"] = "counter.toml" });

    [Fact]
    public void Bind_EveryKindOfValue_SetsTheProperties()
    {
        var s = Config("""
            {"counter": {"start": 10, "period": "2h", "ranks": "0-3", "hosts": "node[1-4]", "mode": "very-safe",
             "limits": [{"queue": "batch", "max-jobs": 5}], "inner": {"enabled": true}, "curve_cert": "/etc/cert"}}
            """).Bind<Settings>("counter");
        Assert.Equal(10, s.Start);
        Assert.Equal(TimeSpan.FromHours(2), s.Period);
        Assert.Equal(4, s.Ranks!.Count);
        Assert.Equal("node[1-4]", s.Hosts!.ToString());
        Assert.Equal(Mode.VerySafe, s.Mode);
        Assert.Equal(5, Assert.Single(s.Limits).MaxJobs);
        Assert.True(s.Inner.Enabled);
        Assert.Equal("/etc/cert", s.CurveCert);
    }

    [Fact]
    public void Bind_AbsentTable_GivesTheDefaults()
    {
        var s = Config("{}").Bind<Settings>("counter");
        Assert.Equal(TimeSpan.FromMinutes(1), s.Period);
        Assert.Empty(s.Limits);
    }

    [Fact]
    public void Bind_UnknownKey_NamesFileTableKeyAndTheKnownOnes()
    {
        var ex = Assert.Throws<ConfigException>(() => Config("""{"counter": {"strat": 1}}""").Bind<Settings>("counter"));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.StartsWith("counter.toml: [counter] strat: unknown key (expected one of start, period, ranks, hosts, mode, limits, inner, curve_cert), got 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKeyInANestedTableOrArrayOfTables_NamesThatTable()
    {
        var nested = Assert.Throws<ConfigException>(() => Config("""{"counter": {"inner": {"enable": true}}}""").Bind<Settings>("counter"));
        Assert.Contains("[counter.inner] enable: unknown key (expected enabled)", nested.Message, StringComparison.Ordinal);
        var array = Assert.Throws<ConfigException>(() => Config("""{"counter": {"limits": [{"queue": "a", "max": 1}]}}""").Bind<Settings>("counter"));
        Assert.Contains("[counter.limits] max: unknown key (expected one of queue, max-jobs)", array.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_AllowUnknownKeys_IgnoresThem()
    {
        Assert.Equal(3, Config("""{"counter": {"start": 3, "other": 1}}""").Bind<Settings>("counter", allowUnknownKeys: true).Start);
    }

    [Theory]
    [InlineData("""{"start": "ten"}""", "[counter] start: expected an integer, got \"ten\"")]
    [InlineData("""{"period": 5}""", "[counter] period: expected a duration like \"30m\", got 5")]
    [InlineData("""{"ranks": "0-"}""", "[counter] ranks: expected an idset like \"0-7\", got \"0-\"")]
    [InlineData("""{"mode": "slow"}""", "[counter] mode: expected one of fast, very-safe, got \"slow\"")]
    [InlineData("""{"limits": [{"queue": "a", "max-jobs": "x"}]}""", "[counter.limits] max-jobs: expected an integer from -2147483648 to 2147483647, got \"x\"")]
    [InlineData("""{"inner": 3}""", "[counter] inner: expected a table, got 3")]
    public void Bind_WrongType_NamesTheKeyAndWhatItTakes(string table, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => Config($$"""{"counter": {{table}}}""").Bind<Settings>("counter"));
        Assert.Equal("counter.toml: " + message, ex.Message);
    }

    [Fact]
    public void Bind_RequiredKeyMissing_SaysWhichAndWhoNeedsIt()
    {
        var ex = Assert.Throws<ConfigException>(() => Config("""{"counter": {}}""").Bind<Needs>("counter"));
        Assert.Equal("counter.toml: [counter] owner: missing (required by Needs)", ex.Message);
        Assert.Equal("ada", Config("""{"counter": {"owner": "ada"}}""").Bind<Needs>("counter").Owner);
    }

    [Fact]
    public void Bind_TableIsNotATable_SaysSo()
    {
        var ex = Assert.Throws<ConfigException>(() => Config("""{"counter": 1}""").Bind<Settings>("counter"));
        Assert.Contains("counter: expected a table, got 1", ex.Message, StringComparison.Ordinal);
    }
}
