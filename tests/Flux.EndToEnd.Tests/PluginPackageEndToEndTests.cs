// flux plugin as an operator runs it: install a sample's package (packed by build.sh with Flux.Plugin.Sdk) into a
// temporary HOME, list it, load it by name into a running instance, and remove it.
namespace Flux.EndToEnd.Tests;

public sealed class PluginPackageEndToEndTests
{
    [Fact]
    public async Task Install_SamplePackage_LoadsByNameAndListsAsLoaded()
    {
        var package = Path.Combine(Repo.Root, "artifacts", "sample-plugins", "Hello.1.0.0.nupkg");
        Assert.True(File.Exists(package), $"{package} is missing: run ./build.sh (it packs the samples)");
        var home = TempDirs.Create("flux-plugin-home-");
        var env = new Dictionary<string, string> { ["HOME"] = home, ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share") };

        var install = await FluxProcess.RunAsync(["plugin", "install", package], env: env);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("installed Hello 1.0.0 (Module hello)", install.Stdout, StringComparison.Ordinal);

        var again = await FluxProcess.RunAsync(["plugin", "install", package], env: env);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already installed", again.Stderr, StringComparison.Ordinal);

        var run = await FluxProcess.RunAsync(["start", "sh", "-c",
            "flux module load hello greeting=Hi && flux rpc hello.greet '{\"name\":\"Ada\"}' && flux plugin list && flux module load nosuch"], env: env);
        Assert.Contains("Hi", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(run.Stdout.Split('\n'), l => l.StartsWith("Module", StringComparison.Ordinal) && l.Contains("hello", StringComparison.Ordinal) && l.Contains("loaded", StringComparison.Ordinal));
        var notFound = run.Stderr.Split('\n').Single(l => l.Contains("nosuch", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(home, ".local", "share", "flux", "plugins", "Hello", "1.0.0"), notFound, StringComparison.Ordinal);

        var remove = await FluxProcess.RunAsync(["plugin", "remove", "hello"], env: env);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        var list = await FluxProcess.RunAsync(["plugin", "list"], env: env);
        Assert.DoesNotContain("hello", list.Stdout, StringComparison.Ordinal);
    }
}
