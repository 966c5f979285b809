// flux start --config-path and flux config get/reload as a user runs them.
using System.Text.Json.Nodes;
using Flux.Toml;

namespace Flux.EndToEnd.Tests;

public sealed class ConfigEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-config-");

    private static string SystemConfig => Path.Combine(FluxProcess.Root, "tests", "Flux.Toml.Tests", "Fixtures", "system-config");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ConfigGet_AdminGuideExample_ReturnsWholeTree()
    {
        var r = await FluxProcess.RunAsync("start", $"--config-path={SystemConfig}", "flux", "config", "get");
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = ConfigDirectory.Load(SystemConfig).Root;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(r.Stdout)), $"config get differs:\n{r.Stdout}");
        Assert.Equal("test[1-14]", JsonNode.Parse(r.Stdout)!["resource"]!["config"]![0]!["hosts"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConfigGet_KeysAndTypes_AsFluxCore()
    {
        var r = await FluxProcess.RunAsync("start", "-c", SystemConfig, "sh", "-c",
            "flux config get kvs.checkpoint-period; flux config get --type=fsd-integer kvs.checkpoint-period; flux config get --type=integer kvs.gc-threshold; flux config get --default=none no.such.key; flux config get --type=integer resource.exclude");
        var lines = r.Stdout.Split('\n');
        Assert.Equal(["30m", "1800", "100000", "none"], lines.Take(4));
        Assert.Contains("resource.exclude: expected an integer, got \"test[1-2]\"", r.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public async Task Start_BrokenConfig_ErrorNamesFileLineAndColumn()
    {
        File.WriteAllText(Path.Combine(_dir, "system.toml"), "[kvs]\nhosts = 1\nhosts = 2\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("system.toml:3:1: duplicate key 'hosts' (first defined at line 2)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SameTableInTwoFiles_ErrorNamesBoth()
    {
        File.WriteAllText(Path.Combine(_dir, "a.toml"), "[kvs]\ncheckpoint-period = \"1m\"\n");
        File.WriteAllText(Path.Combine(_dir, "b.toml"), "[kvs]\ngc-threshold = 5\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("b.toml: [kvs] is already defined in a.toml", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigReload_PicksUpChangedFile()
    {
        var file = Path.Combine(_dir, "site.toml");
        File.WriteAllText(file, "[site]\nname = \"before\"\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            $"flux config get site.name && printf '[site]\\nname = \"after\"\\n' > {file} && flux config get site.name && flux config reload && flux config get site.name");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["before", "before", "after"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
