// The builtin jobtap plugins: dependency-after (RFC 26), begin-time, limit-duration, limit-job-size, history, post-event.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class BuiltinTests
{
    private static JobspecBuilder After(string scheme, ulong target, double runSeconds = 0) =>
        JobClient.Job(runSeconds).SetAttr("system.dependencies", new JsonArray(new JsonObject { ["scheme"] = scheme, ["value"] = Fluid.Encode(target, FluidEncoding.F58) }));

    [Theory]
    [InlineData("afterany")]
    [InlineData("afterok")]
    [InlineData("after")]
    public async Task After_TargetRunsOk_DependentRunsAfterIt(string scheme)
    {
        await using var i = await JobtapInstance.StartAsync();
        // The target is held until the dependent is in: a target that already started (or ended) satisfies
        // "after" (or the others) at submission, with no dependency-add, and a loaded machine let it.
        var target = await JobClient.SubmitAsync(i.H, JobClient.Job(0.2), urgency: 0);
        var dependent = await JobClient.SubmitAsync(i.H, After(scheme, target));
        await i.H.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = target, ["urgency"] = 16 });
        Assert.True((await JobClient.WaitAsync(i.H, dependent))["success"]!.GetValue<bool>());
        var events = await JobClient.EventNamesAsync(i.H, dependent);
        Assert.Contains("dependency-add", events);
        Assert.Contains("dependency-remove", events);
    }

    [Fact]
    public async Task AfterOk_TargetFails_DependentGetsDependencyException()
    {
        await using var i = await JobtapInstance.StartAsync();
        var target = await JobClient.SubmitAsync(i.H, JobClient.Job(30));
        var dependent = await JobClient.SubmitAsync(i.H, After("afterok", target));
        await JobClient.WaitForEventAsync(i.H, dependent, "dependency-add");
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = target, ["type"] = "cancel", ["severity"] = 0 });
        var result = await JobClient.WaitAsync(i.H, dependent);
        Assert.False(result["success"]!.GetValue<bool>());
        Assert.Contains("type=dependency", result["errstr"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterNotOk_TargetAlreadySucceeded_Rejected()
    {
        await using var i = await JobtapInstance.StartAsync();
        var target = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, target);
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, After("afternotok", target)));
        Assert.Contains("can never be satisfied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dependency_UnknownScheme_RejectedWithFluxCoreMessage()
    {
        await using var i = await JobtapInstance.StartAsync();
        var spec = JobClient.Job().SetAttr("system.dependencies", new JsonArray(new JsonObject { ["scheme"] = "nosuch", ["value"] = "x" }));
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, spec));
        Assert.Contains("dependency scheme \"nosuch\" not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_UnknownJob_Rejected()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, After("afterany", 12345)));
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeginTime_InTheFuture_HeldThenRuns()
    {
        await using var i = await JobtapInstance.StartAsync();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 1;
        var spec = JobClient.Job().SetAttr("system.dependencies", new JsonArray(new JsonObject { ["scheme"] = "begin-time", ["value"] = at.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) }));
        var id = await JobClient.SubmitAsync(i.H, spec);
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
        var events = await i.H.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog");
        var removed = Eventlog.Parse(events!).First(e => e.Name == "dependency-remove");
        Assert.True(removed.Timestamp >= at, $"released at {removed.Timestamp}, before {at}");
    }

    [Fact]
    public async Task LimitDuration_OverPolicy_RejectedByPlugin()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits]\nduration = \"1m\"\n");
        var note = await ManagerRefusalAsync(i, JobClient.Job().SetAttr("system.duration", 120.0));
        Assert.Equal("requested duration exceeds policy limit of 1m", note);
    }

    [Fact]
    public async Task LimitJobSize_OverQueueMax_RejectedByPlugin()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits.job-size.max]\nncores = 1\n");
        var note = await ManagerRefusalAsync(i, new JobspecBuilder(["true"]).Tasks(1).CoresPerTask(2));
        Assert.Equal("requested ncores exceeds policy limit of 1", note);
    }

    /// <summary>
    /// Hands a job straight to job-manager (as job-ingest does after its own checks) and returns its
    /// refusal note, so that the builtin, not job-ingest's policy, is what decides.
    /// </summary>
    internal static async Task<string?> ManagerRefusalAsync(JobtapInstance i, JobspecBuilder b)
    {
        var resp = await i.H.RpcAsync("job-manager.submit", new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["id"] = 424242UL, ["userid"] = PeerCredentials.CurrentUid, ["urgency"] = 16, ["flags"] = 0,
                ["t_submit"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, ["jobspec"] = b.Build(),
            }),
        });
        return resp!["errors"]!.AsArray().FirstOrDefault()?["note"]?.GetValue<string>();
    }

    [Fact]
    public async Task History_Query_ListsSubmitTimesPerUser()
    {
        await using var i = await JobtapInstance.StartAsync();
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var users = (await i.QueryAsync(".history"))!["users"]!.AsObject();
        Assert.Single(users[PeerCredentials.CurrentUid.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray());
    }

    [Fact]
    public async Task PostEvent_Service_AppendsEvent()
    {
        await using var i = await JobtapInstance.StartAsync();
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job(30));
        await JobClient.WaitForEventAsync(i.H, id, "start");
        await i.H.RpcAsync("job-manager.post-event.post", new JsonObject { ["id"] = id, ["name"] = "note", ["context"] = new JsonObject { ["x"] = 1 } });
        await JobClient.WaitForEventAsync(i.H, id, "note");
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0 });
        await JobClient.WaitAsync(i.H, id);
    }
}
