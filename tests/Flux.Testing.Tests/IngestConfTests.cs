// A validator's per-plugin conf bound to IOptions<T> (AddFluxPluginConf) through job-ingest: values, unknown keys, wrong types.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

public sealed class IngestConfTests
{
    private static FluxTestOptions Options() => JobOptions.With(TestExecution.None);

    [Fact]
    public async Task Validator_ConfBound_ItsValuesApply()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadValidatorAsync<TaskCapValidator>(new JsonObject { ["max"] = 2, ["message"] = "cap" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(3)));
        Assert.Contains("cap: 3 > 2", ex.Message, StringComparison.Ordinal);
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(2));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task Validator_UnknownKey_LoadRefusedNamingPluginTableKeyAndAcceptedKeys()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<TaskCapValidator>(new JsonObject { ["maxx"] = 2 }));
        Assert.Contains("validator plugin task-cap: flux-testing-ingest.toml: [ingest.validator.task-cap] maxx: unknown key (expected one of max, message), got 2", ex.Message, StringComparison.Ordinal);
        // Nothing changed: a job of two tasks is still accepted by the builtin jobspec validator alone.
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true").Tasks(2));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task Validator_WrongType_LoadRefusedNamingTheKey()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadValidatorAsync<TaskCapValidator>(new JsonObject { ["max"] = "two" }));
        Assert.Contains("validator plugin task-cap: flux-testing-ingest.toml: [ingest.validator.task-cap] max: expected an integer from -2147483648 to 2147483647, got \"two\"", ex.Message, StringComparison.Ordinal);
    }
}
