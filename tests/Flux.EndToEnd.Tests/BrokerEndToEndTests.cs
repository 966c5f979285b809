// flux start, flux module, flux ping, attributes and access control, run as real processes.
namespace Flux.EndToEnd.Tests;

public sealed class BrokerEndToEndTests
{
    private static string HelloDll => Repo.SampleDll("Hello");

    [Fact]
    public async Task Start_ModuleList_PrintsHeaderAndExitsZero()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "module", "list");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("Module", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Service", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ExitCodeOfCommand_IsReturned()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "test -n \"$FLUX_URI\" && exit 7");
        Assert.Equal(7, r.ExitCode);
        var missing = await FluxProcess.RunAsync("start", "no-such-command-xyz");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("no-such-command-xyz", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelloSample_LoadListRemove_Works()
    {
        var script = $"flux module load {HelloDll} greeting=Hi && flux module list && flux rpc hello.greet '{{\"name\":\"Ada\"}}' && flux module remove hello && flux module list";
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("hello ", StringComparison.Ordinal));
        Assert.Contains("\"greeting\":\"Hi, Ada!\"", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(lines.SkipWhile(l => !l.Contains("greeting", StringComparison.Ordinal)), l => l.StartsWith("hello ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ping_Count100_Prints100RepliesAndSummary()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "ping", "--count", "100", "--interval", "0", "broker");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100, lines.Count(l => l.StartsWith("broker.ping ", StringComparison.Ordinal)));
        Assert.Contains("100 packets transmitted, 100 received, 0% loss", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rtt min/avg/max/mdev", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attributes_GetSetLsattr()
    {
        var r = await FluxProcess.RunAsync("start", "-S", "log-ring-size=77", "sh", "-c",
            "flux getattr rank && flux getattr log-ring-size && flux setattr log-stderr-level 5 && flux getattr log-stderr-level && flux lsattr -v && flux setattr rank 3");
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.Equal("77", lines[1]);
        Assert.Equal("5", lines[2]);
        Assert.Contains(lines, l => l.StartsWith("local-uri ", StringComparison.Ordinal) && l.Contains("local://", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("broker.pid ", StringComparison.Ordinal));
        Assert.Contains("attribute 'rank' cannot be changed", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Module_BadInput_ClearErrors()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux module load /nonexistent/X.dll; flux module remove nothere; flux module load nosuchmodule; flux module frob; flux ping");
        Assert.Contains("/nonexistent/X.dll: No such file or directory", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("module 'nothere' is not loaded", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("module 'nosuchmodule' not found on the module path", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-module: unknown subcommand 'frob'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-ping: missing argument", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Instance_SaysHowToConnect()
    {
        var r = await FluxProcess.RunAsync(["ping", "broker"], env: new Dictionary<string, string> { ["FLUX_URI"] = "local:///nonexistent/socket" });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot connect to local:///nonexistent/socket", r.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task LocalConnector_OtherUid_IsRefusedWithClearMessage()
    {
        var script = "setpriv --reuid=65534 --regid=65534 --clear-groups env DOTNET_CLI_HOME=/tmp HOME=/tmp flux ping --count 1 broker";
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("connection refused by the broker: only the instance owner may connect", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_TopAndCommand_AreTrue()
    {
        var top = await FluxProcess.RunAsync("--help");
        Assert.Equal(0, top.ExitCode);
        foreach (var cmd in new[] { "start", "module", "ping", "dmesg", "getattr", "lsattr", "uptime", "version" })
        {
            Assert.Contains($"  {cmd} ", top.Stdout, StringComparison.Ordinal);
        }
        var ping = await FluxProcess.RunAsync("ping", "--help");
        Assert.Contains("--count=N", ping.Stdout, StringComparison.Ordinal);
        var bad = await FluxProcess.RunAsync("ping", "--bogus");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unrecognized option '--bogus'", bad.Stderr, StringComparison.Ordinal);
    }
}
