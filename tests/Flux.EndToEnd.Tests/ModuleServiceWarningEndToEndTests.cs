// A module whose request handler lies outside its services (a topic spelled with the plugin's name, loaded with -n) is warned about at load.
namespace Flux.EndToEnd.Tests;

public sealed class ModuleServiceWarningEndToEndTests
{
    [Fact]
    public async Task ModuleLoad_HandlerOutsideItsServices_WarnsOnceInTheLog()
    {
        var dll = Repo.SampleDll("Hello");
        // The sample registers hello.greet: under -n other its service is "other", so hello.greet never reaches it.
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", $"flux module load -n other {dll} && flux module load {dll} && flux dmesg"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        // Once: not for the same module under its own name, nor for any builtin module.
        var warning = Assert.Single(r.Stdout.Split('\n'), l => l.Contains("outside the module's services", StringComparison.Ordinal));
        Assert.Contains("module other: request handler 'hello.greet'", warning, StringComparison.Ordinal);
        Assert.Contains("(other)", warning, StringComparison.Ordinal);
    }
}
