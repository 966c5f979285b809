// FluxTestInstance's job shells: a shell plugin loaded by type runs in each job's shell (real execution), its effect seen in the job's output.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

public sealed class ShellTests
{
    private static FluxTestOptions Options(TestExecution execution = TestExecution.Real) => JobOptions.With(execution);

    [Fact]
    public async Task LoadShellPluginByType_SetsTaskEnvironment_PrintenvShowsIt()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("greeter", await instance.LoadShellPluginAsync<GreeterShellPlugin>(new JsonObject { ["name"] = "TEST_GREETING", ["value"] = "hi \"there\"" }));
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("printenv", "TEST_GREETING").Tasks(2));
        var output = await instance.OutputAsync(id);
        Assert.Equal(["hi \"there\" 0", "hi \"there\" 1"], output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("greeter sets TEST_GREETING", output.Log);
        Assert.Contains(await instance.EventlogAsync(id), e => e.Name == "finish" && e.Context!["status"]!.GetValue<int>() == 0);
    }

    [Fact]
    public async Task LoadShellPluginByType_NonAsciiConf_ReachesTheTaskAsWritten()
    {
        // The conf goes through the initrc Flux.Testing writes (UTF-8) and the shell's Lua state.
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<GreeterShellPlugin>(new JsonObject { ["name"] = "TEST_GREETING", ["value"] = "grüß dich ✓ 日本" });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("printenv", "TEST_GREETING"));
        var output = await instance.OutputAsync(id);
        Assert.Equal("grüß dich ✓ 日本 0\n", output.Stdout);
    }

    [Fact]
    public async Task ShellPluginConf_BoundToItsClass_TaskSeesTheValues()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<TypedGreeterShellPlugin>(new JsonObject { ["variable"] = "TYPED", ["repeat"] = 3 });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("printenv", "TYPED"));
        Assert.Equal("hi hi hi\n", (await instance.OutputAsync(id)).Stdout);
    }

    [Fact]
    public async Task ShellPluginConf_UnknownKeyOrWrongType_JobFailsNamingPluginAndKey()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<TypedGreeterShellPlugin>(new JsonObject { ["variabel"] = "TYPED" });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        var output = await instance.OutputAsync(id);
        Assert.Contains(output.Log, l => l.Contains("shell plugin typed-greeter: [conf] variabel: unknown key (expected", StringComparison.Ordinal));
        Assert.Contains(await instance.EventlogAsync(id), e => e.Name == "exception" && e.Context!["severity"]!.GetValue<int>() == 0);

        await using var second = await FluxTestInstance.StartAsync(Options());
        await second.LoadShellPluginAsync<TypedGreeterShellPlugin>(new JsonObject { ["repeat"] = "many" });
        var output2 = await second.OutputAsync(await second.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Contains(output2.Log, l => l.Contains("shell plugin typed-greeter: [conf] repeat:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadShellPluginByType_RegisterFails_JobFailsWithItsMessage()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadShellPluginAsync<GreeterShellPlugin>(new JsonObject { ["fail"] = "no greetings today" });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        var output = await instance.OutputAsync(id);
        Assert.Contains(output.Log, l => l.Contains("greeter: no greetings today", StringComparison.Ordinal));
        Assert.Contains(await instance.EventlogAsync(id), e => e.Name == "exception" && e.Context!["severity"]!.GetValue<int>() == 0);
    }

    [Fact]
    public async Task NoShellPlugin_TaskRuns_OutputIsItsOwn()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("sh", "-c", "echo out; echo err >&2; exit 3"));
        var output = await instance.OutputAsync(id);
        Assert.Equal("out\n", output.Stdout);
        Assert.Equal("err\n", output.Stderr);
        var finish = await instance.WaitForEventAsync(id, "finish");
        Assert.Equal(3 << 8, finish.Context!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task LoadShellPlugin_WithoutRealExecution_SaysWhatToSet()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options(TestExecution.Simulated));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => instance.LoadShellPluginAsync<GreeterShellPlugin>());
        Assert.Contains("set FluxTestOptions.Execution = TestExecution.Real", ex.Message, StringComparison.Ordinal);
    }
}
