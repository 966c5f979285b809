// The plugin-template validator's tests: loaded into job-ingest of an in-process instance (Flux.Testing), jobs submitted.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Testing;

namespace PluginTemplate.Tests;

public sealed class PluginTemplateValidatorTests
{
    // The job pipeline: job-ingest runs the builtin jobspec validator, then this one.
    private static FluxTestOptions Options() => new() { Jobs = true };

    [Fact]
    public async Task Submit_NoTimeLimit_IsRejectedSayingHowToSetOne()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync<PluginTemplateValidator>();

        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Contains("plugin-template: jobs must set a time limit", ex.Message, StringComparison.Ordinal);
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Duration(60));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task Submit_OverMaxDuration_IsRejected()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync<PluginTemplateValidator>(new JsonObject { ["max-duration"] = 3600 });

        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true").Duration(7200)));
        Assert.Contains("time limit 7200s is over the maximum 3600s", ex.Message, StringComparison.Ordinal);
        await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Duration(3600));
    }

    [Fact]
    public async Task Load_BadMaxDuration_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<PluginTemplateValidator>(new JsonObject { ["max-duration"] = "soon" }));
        Assert.Contains("max-duration must be a number of seconds > 0", ex.Message, StringComparison.Ordinal);
    }
}
