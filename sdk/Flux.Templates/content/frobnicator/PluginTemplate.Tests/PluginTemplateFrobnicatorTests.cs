// The plugin-template frobnicator's tests: loaded into job-ingest of an in-process instance (Flux.Testing), the stored jobspec read back.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Testing;

namespace PluginTemplate.Tests;

public sealed class PluginTemplateFrobnicatorTests
{
    private static FluxTestOptions Options() => new() { Jobs = true };

    private static double Duration(JsonObject jobspec) => jobspec["attributes"]!["system"]!["duration"]!.GetValue<double>();

    [Fact]
    public async Task Submit_NoTimeLimit_GetsTheConfiguredDefault()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadFrobnicatorAsync<PluginTemplateFrobnicator>(new JsonObject { ["duration"] = 600 });

        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal(600, Duration(await instance.JobspecAsync(id)));
    }

    [Fact]
    public async Task Submit_OwnTimeLimit_IsKept()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadFrobnicatorAsync<PluginTemplateFrobnicator>();

        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Duration(42));
        Assert.Equal(42, Duration(await instance.JobspecAsync(id)));
        var other = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal(3600, Duration(await instance.JobspecAsync(other)));
    }

    [Fact]
    public async Task Load_BadDuration_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadFrobnicatorAsync<PluginTemplateFrobnicator>(new JsonObject { ["duration"] = -1 }));
        Assert.Contains("duration must be a number of seconds > 0", ex.Message, StringComparison.Ordinal);
    }
}
