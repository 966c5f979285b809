// flux config builtin and flux version as a plugin author uses them: each built-in plugin folder printed exists, the plugin contract is shown.
namespace Flux.EndToEnd.Tests;

public sealed class ConfigBuiltinEndToEndTests
{
    [Theory]
    [InlineData("module_path", "modules")]
    [InlineData("jobtap_pluginpath", "jobtap")]
    [InlineData("shell_pluginpath", "shell")]
    [InlineData("connector_path", "connectors")]
    [InlineData("validator_path", "validators")]
    public async Task ConfigBuiltin_PluginFolder_PrintsAnExistingFolder(string name, string folder)
    {
        var r = await FluxProcess.RunAsync("config", "builtin", name);
        Assert.True(r.ExitCode == 0, r.ToString());
        var path = r.Stdout.Trim();
        Assert.Equal(Path.Combine(FluxProcess.Bin, folder), path);
        Assert.True(Directory.EnumerateFiles(path, "*.dll", SearchOption.AllDirectories).Any(), $"{name}: {path} holds no plugin");
    }

    [Fact]
    public async Task Version_Always_ShowsThePluginContract()
    {
        var r = await FluxProcess.RunAsync("version");
        Assert.True(r.ExitCode == 0, r.ToString());
        var version = typeof(Flux.Abstractions.IFlux).Assembly.GetName().Version!;
        var line = Assert.Single(r.Stdout.Split('\n'), l => l.StartsWith("plugin-contract:", StringComparison.Ordinal));
        // The contract versions this broker loads plugins of: the current one, or the range from x.0 up to it.
        var current = $"{version.Major}.{version.Minor}";
        var expected = version.Minor == 0 ? $"Flux.Abstractions {current}" : $"Flux.Abstractions {version.Major}.0 to {current}";
        Assert.EndsWith(expected, line.TrimEnd(), StringComparison.Ordinal);
    }
}
