// The plugin-template jobtap plugin's tests: loaded into the job manager of an in-process instance (Flux.Testing), jobs submitted and followed.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Testing;

namespace PluginTemplate.Tests;

public sealed class PluginTemplatePluginTests
{
    // The job pipeline, with simulated execution: jobs are scheduled and "run" (no process) to the end.
    private static FluxTestOptions Options() => new() { Jobs = true, Execution = TestExecution.Simulated };

    [Fact]
    public async Task JobRuns_EventPostedWithTheNoteAndCounted()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadJobtapAsync<PluginTemplatePlugin>(new JsonObject { ["note"] = "hi" });

        var first = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        var ran = await instance.WaitForEventAsync(first, "plugin-template-run");
        Assert.Equal(1, ran.Context!["count"]!.GetValue<long>());
        Assert.Equal("hi", ran.Context["note"]!.GetValue<string>());
        await instance.WaitForStateAsync(first, JobState.Inactive);

        var second = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal(2, (await instance.WaitForEventAsync(second, "plugin-template-run")).Context!["count"]!.GetValue<long>());
        var query = await instance.QueryJobtapAsync("plugin-template");
        Assert.Equal(2, query!["runs"]!.GetValue<long>());
    }

    [Fact]
    public async Task JobNeverRuns_NoEvent()
    {
        // Without a scheduler a job waits in SCHED: job.state.run is never called.
        await using var instance = await FluxTestInstance.StartAsync(new FluxTestOptions { Jobs = true });
        await instance.LoadJobtapAsync<PluginTemplatePlugin>();
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        await instance.WaitForStateAsync(id, JobState.Sched);
        Assert.DoesNotContain(await instance.EventlogAsync(id), e => e.Name == "plugin-template-run");
    }

    [Fact]
    public async Task Load_NoteNotAString_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadJobtapAsync<PluginTemplatePlugin>(new JsonObject { ["note"] = 5 }));
        Assert.Contains("note must be a string", ex.Message, StringComparison.Ordinal);
    }
}
