// Typed options of a jobtap plugin (AddFluxOptions): bound at load, refused when a key is unknown, followed on reload.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

public sealed class OptionsTests
{
    private static FluxTestOptions Options(string config)
    {
        var o = JobOptions.With(TestExecution.None);
        o.Config = config;
        return o;
    }

    [Fact]
    public async Task JobtapOptions_ReloadChangesThem_ATableThatNoLongerBindsIsRefusedAndKeepsThem()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options("[quota]\nclosed = true\nmessage = \"maintenance until noon\"\n"));
        await instance.LoadJobtapAsync<QuotaPlugin>();
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Equal("maintenance until noon", ex.Message);

        await instance.ReloadConfigAsync("[quota]\nclosed = false\n");
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        await instance.WaitForStateAsync(id, JobState.Sched);

        var refused = await Assert.ThrowsAsync<FluxException>(() => instance.ReloadConfigAsync("[quota]\nclosd = true\n"));
        Assert.Equal("module job-manager refused the new configuration: test.toml: [quota] closd: unknown key (expected one of closed, message), got true", refused.Message);
        id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task JobtapOptions_UnknownKeyAtLoad_TheLoadFailsNamingTableAndKey()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options("[quota]\nclosd = true\n"));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadJobtapAsync<QuotaPlugin>());
        Assert.Contains("test.toml: [quota] closd: unknown key (expected one of closed, message), got true", ex.Message, StringComparison.Ordinal);
    }
}
