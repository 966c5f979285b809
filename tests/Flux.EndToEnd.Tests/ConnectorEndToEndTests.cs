// Connectors as plugins: local:// from the built-in folder, a third party's connector from FLUX_CONNECTOR_PATH.
namespace Flux.EndToEnd.Tests;

public sealed class ConnectorEndToEndTests
{
    private static string LoggingSampleDir
    {
        get
        {
            var dir = Path.Combine(FluxProcess.Root, "samples", "LoggingConnector", "bin", "Release", "net10.0");
            Assert.True(File.Exists(Path.Combine(dir, "LoggingConnector.dll")), $"{dir}/LoggingConnector.dll is missing: ./build.sh builds the samples");
            return dir;
        }
    }

    [Fact]
    public async Task LoggingSample_WrappingTheInstanceUri_CommandWorksAndEveryMessageIsLogged()
    {
        var log = Path.Combine(TempDirs.Create("flux-logging-"), "messages.log");
        var script = $"FLUX_URI=\"logging:?file={log}&uri=$FLUX_URI\" flux getattr rank && FLUX_URI=\"logging:?uri=$FLUX_URI\" flux kvs put a=1";
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", script], env: new Dictionary<string, string> { ["FLUX_CONNECTOR_PATH"] = LoggingSampleDir });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("0\n", r.Stdout);
        var lines = File.ReadAllLines(log);
        Assert.Contains("send request attr.get", lines);
        Assert.Contains("recv response attr.get", lines);
        // Without file=, the lines go to the command's stderr.
        Assert.Contains("send request kvs.commit", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("recv response kvs.commit", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownScheme_NamesTheSchemeAndTheSearchPath()
    {
        var r = await FluxProcess.RunAsync(["getattr", "rank"], env: new Dictionary<string, string> { ["FLUX_URI"] = "nosuch:///x", ["FLUX_CONNECTOR_PATH"] = LoggingSampleDir });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no connector for URI scheme 'nosuch'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(LoggingSampleDir + ":" + Path.Combine(FluxProcess.Bin, "connectors"), r.Stderr, StringComparison.Ordinal);
    }
}
