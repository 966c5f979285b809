// The Hello sample as a third party's module: its [hello] table through IOptionsMonitor (load, reload, refused
// reload) and its Meter's instruments in flux module stats, run as real processes.
namespace Flux.EndToEnd.Tests;

public sealed class HelloOptionsEndToEndTests : IDisposable
{
    private readonly string _config = TempDirs.Create("flux-hello-options-");

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private static string HelloDll => Repo.SampleDll("Hello");

    [Fact]
    public async Task HelloSample_ConfigTableAndReload_GreetingFollows_BadKeyRefused_StatsCountGreetings()
    {
        var file = Path.Combine(_config, "hello.toml");
        File.WriteAllText(file, "[hello]\ngreeting = \"Hi\"\n");
        var script = $"flux module load {HelloDll} && flux rpc hello.greet '{{\"name\":\"Ada\"}}'"
            + $" && printf '[hello]\\ngreeting = \"Salut\"\\n' > {file} && flux config reload && flux rpc hello.greet"
            + $" && printf '[hello]\\ngreting = \"Yo\"\\n' > {file} && ! flux config reload && flux rpc hello.greet"
            + " && flux module stats -p greetings hello && flux module stats -p name-length hello";
        var r = await FluxProcess.RunAsync("start", $"-o,--config-path={_config}", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("{\"greeting\":\"Hi, Ada!\",\"count\":1,\"userid\":", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"Salut, world!\",\"count\":2", lines[1], StringComparison.Ordinal);
        Assert.Contains("module hello refused the new configuration: hello.toml: [hello] greting: unknown key (expected one of greeting, max-name-length), got \"Yo\"", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"Salut, world!\",\"count\":3", lines[2], StringComparison.Ordinal);
        Assert.Equal("3", lines[3]);
        Assert.Equal("{\"count\":3,\"sum\":13,\"min\":3,\"max\":5}", lines[4]);
    }
}
