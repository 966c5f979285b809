// The flux users run is the NativeAOT build; a command needing a plugin assembly hands over to flux-jit whole.
namespace Flux.EndToEnd.Tests;

public sealed class NativeCommandEndToEndTests
{
    private static string LoggingSampleDir =>
        Path.Combine(FluxProcess.Root, "samples", "LoggingConnector", "bin", "Release", "net10.0");

    [Fact]
    public void BuiltFlux_IsNative_AndItsCompanionIsJitHosted()
    {
        // A .NET apphost loads libhostfxr to start the runtime; a NativeAOT executable carries its runtime.
        var flux = File.ReadAllBytes(FluxProcess.FluxExe);
        var companion = Path.Combine(FluxProcess.Bin, "flux-jit");
        Assert.True(File.Exists(companion), $"{companion} is missing: ./build.sh publishes it beside the native flux");
        Assert.True(flux.AsSpan().IndexOf("libhostfxr"u8) < 0, $"{FluxProcess.FluxExe} is a JIT-hosted apphost: run ./build.sh (a plain dotnet build replaces the native command)");
        Assert.True(File.ReadAllBytes(companion).AsSpan().IndexOf("libhostfxr"u8) >= 0, $"{companion} is not a .NET apphost");
    }

    [Fact]
    public async Task HandOver_PluginConnector_KeepsStdinStdoutStderrAndExitCode()
    {
        Assert.True(File.Exists(Path.Combine(LoggingSampleDir, "LoggingConnector.dll")), "./build.sh builds the samples");
        // The logging connector is a plugin: the native flux cannot load it and hands each command to flux-jit.
        var script = """
            export FLUX_URI="logging:?file=/dev/null&uri=$FLUX_URI"
            printf 'from stdin' | flux kvs put x=-
            flux kvs get x
            flux kvs get no.such.key
            echo "rc=$?"
            """;
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", script], env: new Dictionary<string, string> { ["FLUX_CONNECTOR_PATH"] = LoggingSampleDir });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("from stdin\nrc=1\n", r.Stdout);
        Assert.Contains("flux-kvs: no.such.key: No such file or directory", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandOver_CompanionMissing_SaysWhatIsMissing()
    {
        // A copy of the native flux alone in a folder: nothing to hand over to.
        var dir = TempDirs.Create("flux-native-alone-");
        try
        {
            var alone = LoneNativeCopy(dir);
            var r = await FluxProcess.RunAsync(["getattr", "rank"], env: new Dictionary<string, string> { ["FLUX_URI"] = "nosuch:///x" }, exe: alone);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"flux-getattr: connector 'nosuch': this flux command is native (NativeAOT) and cannot load plugin assemblies; and {dir}/flux-jit (its JIT-hosted companion, which can) is missing: rebuild with ./build.sh\n", r.Stderr);
        }
        finally
        {
            TempDirs.Remove(dir);
        }
    }

    [Fact]
    public async Task HandOver_ConnectorPluginsBeforeTheBuiltinFolder_EvenForLocal()
    {
        // A folder of connector plugins first on the path may serve local:// itself: only flux-jit can tell.
        var dir = TempDirs.Create("flux-native-path-");
        try
        {
            var alone = LoneNativeCopy(dir);
            var env = new Dictionary<string, string> { ["FLUX_URI"] = "local:///nonexistent/socket", ["FLUX_CONNECTOR_PATH"] = LoggingSampleDir };
            var r = await FluxProcess.RunAsync(["getattr", "rank"], env: env, exe: alone);
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"flux-getattr: connector 'local' (plugins in {LoggingSampleDir} come before the built-in one): this flux command is native", r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.Remove(dir);
        }
    }

    [Fact]
    public async Task Native_LocalUri_NeedsNoCompanion()
    {
        // local:// is compiled in: the lone native copy talks to an instance without flux-jit.
        var dir = TempDirs.Create("flux-native-local-");
        try
        {
            var alone = LoneNativeCopy(dir);
            var r = await FluxProcess.RunAsync(["start", "sh", "-c", $"'{alone}' getattr size && '{alone}' kvs put a=1 && '{alone}' kvs get a"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("1\n1\n", r.Stdout);
        }
        finally
        {
            TempDirs.Remove(dir);
        }
    }

    // A copy of the native flux alone in DIR (no flux-jit beside it); returns its path.
    private static string LoneNativeCopy(string dir)
    {
        return Executables.Copy(FluxProcess.FluxExe, Path.Combine(dir, "flux"));
    }
}
