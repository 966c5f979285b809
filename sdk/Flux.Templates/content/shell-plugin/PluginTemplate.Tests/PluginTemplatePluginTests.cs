// The plugin-template shell plugin's tests: loaded into the job shell of an in-process instance (Flux.Testing), real tasks run, their output read.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Testing;

namespace PluginTemplate.Tests;

public sealed class PluginTemplatePluginTests
{
    // The job pipeline with real execution: each job's shell runs in process and starts real tasks.
    private static FluxTestOptions Options() => new() { Jobs = true, Execution = TestExecution.Real };

    [Fact]
    public async Task Task_PrintsItsEnvironment_SeesTheConfiguredValue()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<PluginTemplatePlugin>(new JsonObject { ["value"] = "hi" });

        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("printenv", "PLUGIN_TEMPLATE").Tasks(2));
        var output = await instance.OutputAsync(id);
        Assert.Equal(["hi (rank 0)", "hi (rank 1)"], output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Task_NoConf_SeesThePluginsName()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<PluginTemplatePlugin>();

        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("printenv", "PLUGIN_TEMPLATE"));
        Assert.Equal("plugin-template (rank 0)\n", (await instance.OutputAsync(id)).Stdout);
    }

    [Fact]
    public async Task Conf_ValueNotAString_JobFailsSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<PluginTemplatePlugin>(new JsonObject { ["value"] = 5 });

        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        var output = await instance.OutputAsync(id);
        Assert.Contains(output.Log, l => l.Contains("plugin-template: value must be a string", StringComparison.Ordinal));
    }
}
