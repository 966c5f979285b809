// .limit-duration and .limit-job-size with the admin guide's per-queue policy: a queue's limit overrides
// the general one key by key, messages and configuration errors are flux-core's.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class PolicyLimitTests
{
    // The admin guide's "Policy Limits" example, less the defaults (job-ingest applies those).
    private const string GuideQueues = """
        [queues.debug]
        requires = ["debug"]
        policy.limits.duration = "30m"
        policy.limits.job-size.max.nnodes = 2
        policy.limits.job-size.max.ncores = 16

        [queues.batch]
        requires = ["batch"]
        policy.limits.duration = "8h"
        policy.limits.job-size.max.nnodes = 16
        policy.limits.job-size.max.ncores = 128

        """;

    private static JobspecBuilder Job(string queue, double duration) => new JobspecBuilder(["true"]).Queue(queue).Duration(duration);

    [Theory]
    [InlineData("debug", 3600, "requested duration exceeds policy limit of 30m")]
    [InlineData("batch", 9 * 3600, "requested duration exceeds policy limit of 8h")]
    [InlineData("debug", 0, "requested duration exceeds policy limit of 30m")]
    public async Task LimitDuration_QueueLimit_Refused(string queue, double duration, string message)
    {
        await using var i = await JobtapInstance.StartAsync(GuideQueues);
        Assert.Equal(message, await BuiltinTests.ManagerRefusalAsync(i, Job(queue, duration)));
    }

    [Fact]
    public async Task LimitDuration_BatchOverridesGeneral_AcceptedUpToItsLimit()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits]\nduration = \"1h\"\n" + GuideQueues);
        Assert.Null(await BuiltinTests.ManagerRefusalAsync(i, Job("batch", 4 * 3600)));
    }

    [Theory]
    [InlineData("debug", 3, 3, "requested nnodes exceeds policy limit of 2")]
    [InlineData("debug", 1, 17, "requested ncores exceeds policy limit of 16")]
    [InlineData("batch", 17, 17, "requested nnodes exceeds policy limit of 16")]
    public async Task LimitJobSize_QueueMax_Refused(string queue, int nodes, int tasks, string message)
    {
        await using var i = await JobtapInstance.StartAsync(GuideQueues);
        Assert.Equal(message, await BuiltinTests.ManagerRefusalAsync(i, Job(queue, 60).Nodes(nodes).Tasks(tasks)));
    }

    [Fact]
    public async Task LimitJobSize_UnderMin_RefusedAfterEveryMaxHolds()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits.job-size.min]\nncores = 4\n[policy.limits.job-size.max]\nnnodes = 1\n");
        Assert.Equal("requested ncores is under policy limit of 4", await BuiltinTests.ManagerRefusalAsync(i, new JobspecBuilder(["true"]).Tasks(2)));
    }

    [Fact]
    public async Task LimitJobSize_QueueUnlimitedOverridesGeneral_Accepted()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits.job-size.max]\nnnodes = 1\n[queues.big]\npolicy.limits.job-size.max.nnodes = -1\n");
        Assert.Null(await BuiltinTests.ManagerRefusalAsync(i, Job("big", 60).Nodes(4).Tasks(4)));
    }

    [Theory]
    [InlineData("[queues.debug]\npolicy.limits.duration = \"soon\"\n", "[queues.debug.policy.limits] duration: expected a duration like \"30m\"")]
    [InlineData("[queues.debug]\npolicy.limits.job-size.max.nnodes = -5\n", "[queues.debug.policy.limits.job-size.max] nnodes: expected an integer >= -1")]
    public async Task ConfReload_BadQueueLimit_RefusedAsFluxCore(string toml, string message)
    {
        await using var i = await JobtapInstance.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(i.Inst.ConfigDir!, "queues.toml"), toml);
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("config.reload"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
