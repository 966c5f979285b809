// FluxTestInstance's job-ingest plugins: validators and frobnicators loaded by type and by name, their conf, refusals, clearing.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

public sealed class IngestTests
{
    private static FluxTestOptions Options() => JobOptions.With(TestExecution.None);

    [Fact]
    public async Task LoadValidatorByType_TooManyTasks_SubmitFailsWithItsMessage()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("max-tasks", await instance.LoadValidatorAsync<MaxTasksValidator>(new JsonObject { ["max"] = 2 }));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(3)));
        Assert.Contains("too many tasks: 3 > 2", ex.Message, StringComparison.Ordinal);
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(2));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task LoadValidatorByType_ConfOfEveryKind_ReachesThePluginIntact()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync<MaxTasksValidator>(new JsonObject
        {
            ["message"] = "say \"no\"\\ ƒ\ttab",
            ["limits"] = new JsonObject { ["tags"] = new JsonArray("a b", 1, 2.5, true) },
        });
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(2)));
        Assert.Contains("say \"no\"\\ ƒ\ttab: 2 > 1 [\"a b\",1,2.5,true]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadValidatorByType_RegisterRefuses_LoadFailsAndNothingChanges()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<MaxTasksValidator>(new JsonObject { ["max"] = 0 }));
        Assert.Contains("max-tasks: max must be at least 1", ex.Message, StringComparison.Ordinal);
        // Not loaded: a three-task job passes, and the validator can be loaded right.
        await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(3));
        await instance.LoadValidatorAsync<MaxTasksValidator>();
        await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(3)));
    }

    [Fact]
    public async Task LoadFrobnicatorByType_ChangesTheStoredJobspec()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("namer", await instance.LoadFrobnicatorAsync<NamerFrobnicator>(new JsonObject { ["name"] = "renamed" }));
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Name("original"));
        var jobspec = await instance.JobspecAsync(id);
        Assert.Equal("renamed", jobspec["attributes"]!["system"]!["job"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoadFrobnicatorAndValidator_FrobnicatorRunsFirst_ValidatorSeesItsChange()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync<MaxTasksValidator>();
        await instance.LoadFrobnicatorAsync<NamerFrobnicator>();
        // The builtin jobspec validator still runs first: a jobspec of another version is its to refuse.
        var bad = FluxTestInstance.Jobspec("true").Build();
        bad["version"] = 2;
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(bad));
        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal("stamped", (await instance.JobspecAsync(id))["attributes"]!["system"]!["job"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoadValidatorByName_Builtin_RejectsAsItDoesInAnInstance()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync("require-instance");
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Contains("Direct job submission is disabled for this instance", ex.Message, StringComparison.Ordinal);

        await instance.ClearIngestPluginsAsync();
        await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
    }

    [Fact]
    public async Task LoadValidator_UnknownNameOrTwice_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var missing = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync("no-such-validator"));
        Assert.Contains("no-such-validator", missing.Message, StringComparison.Ordinal);
        await instance.LoadValidatorAsync<MaxTasksValidator>();
        var twice = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<MaxTasksValidator>());
        Assert.Equal(Errno.EEXIST, twice.Errnum);
        var kind = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<NamerFrobnicator>());
        Assert.Contains("expected PluginKind.Validator", kind.Message, StringComparison.Ordinal);
    }
}
