// A plugin that throws, at each kind of call site, is named in the log and in the error, and job-manager keeps running.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Jobtap.Tests;

public sealed class FaultTests
{
    private static string TestPlugin => Repo.TestPlugin("JobtapTestPlugin");

    private static async Task AssertStillRunsJobsAsync(JobtapInstance i)
    {
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task JobTopic_PluginThrows_LogAndExceptionNamePlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["throw"] = "job.state.sched" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitForEventAsync(i.H, id, "exception");
        Assert.Contains("jobtap plugin jobtap-test failed at job.state.sched: thrown on purpose", i.Inst.Dmesg(), StringComparison.Ordinal);
        await JobClient.WaitAsync(i.H, id);
        await i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = "jobtap-test" });
        await AssertStillRunsJobsAsync(i);
    }

    [Fact]
    public async Task Service_PluginThrows_ErrorAndLogNamePlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap-test.boom"));
        Assert.Contains("jobtap plugin jobtap-test failed at job-manager.jobtap-test.boom: service thrown on purpose", ex.Message, StringComparison.Ordinal);
        Assert.Contains("jobtap plugin jobtap-test failed at job-manager.jobtap-test.boom", i.Inst.Dmesg(), StringComparison.Ordinal);
        await AssertStillRunsJobsAsync(i);
    }

    [Fact]
    public async Task Background_PluginWorkThrows_ErrorAndLogNamePlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap-test.later"));
        Assert.Contains("jobtap plugin jobtap-test: test timer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("jobtap plugin jobtap-test: test timer", i.Inst.Dmesg(), StringComparison.Ordinal);
        await AssertStillRunsJobsAsync(i);
    }

    [Fact]
    public async Task Remove_PluginWithService_ServiceGone()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        await i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = "jobtap-test" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap-test.boom"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }
}
