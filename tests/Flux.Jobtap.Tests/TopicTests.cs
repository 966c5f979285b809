// Every jobtap topic at its point: IN keys, load order, the stack stopping at a failure, restart, plugin load, update.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class TopicTests
{
    private static string TestPlugin => Repo.TestPlugin("JobtapTestPlugin");

    private static string OrderPlugin => Repo.TestPlugin("JobtapOrderPlugin");

    private static readonly string[] BaseKeys = ["id", "jobspec", "priority", "state", "t_submit", "urgency", "userid"];

    private static async Task<JsonObject> QueryAsync(JobtapInstance i, string name) => (await i.QueryAsync(name))!;

    private static List<string> Keys(JsonObject q, string topic) =>
        [.. (q["in"]![topic] as JsonArray ?? throw new Xunit.Sdk.XunitException($"{topic} was not called")).Select(k => k!.GetValue<string>())];

    private static void AssertKeys(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    [Fact]
    public async Task JobTopics_TwoPlugins_EachCalledInLoadOrder()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        await i.LoadAsync(OrderPlugin);
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var seen = (await QueryAsync(i, "jobtap-order"))["seen"]!.AsObject();
        foreach (var topic in new[] { "job.create", "job.validate", "job.new", "job.state.depend", "job.state.priority", "job.state.sched", "job.state.run", "job.state.cleanup", "job.state.inactive", "job.inactive-add" })
        {
            Assert.True(seen[topic] is JsonArray chain && chain.Select(n => n!.GetValue<string>()).SequenceEqual(["jobtap-test"]), $"{topic}: {seen[topic]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Validate_FirstPluginFails_LaterPluginNotCalled()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["reject"] = "stop here" });
        await i.LoadAsync(OrderPlugin);
        await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job()));
        var seen = (await QueryAsync(i, "jobtap-order"))["seen"]!.AsObject();
        Assert.True(seen.ContainsKey("job.create"));
        Assert.False(seen.ContainsKey("job.validate"));
        Assert.True(seen.ContainsKey("job.destroy"));
    }

    [Fact]
    public async Task StateTopics_InKeys_HavePrevStateAndEntry()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var q = await QueryAsync(i, "jobtap-test");
        AssertKeys(BaseKeys, Keys(q, "job.create"));
        AssertKeys(BaseKeys, Keys(q, "job.validate"));
        AssertKeys(BaseKeys, Keys(q, "job.new"));
        AssertKeys([.. BaseKeys, "entry", "prev_state"], Keys(q, "job.state.priority"));
        AssertKeys([.. BaseKeys, "entry", "prev_state"], Keys(q, "job.state.depend"));
        AssertKeys([.. BaseKeys, "R", "entry", "prev_state"], Keys(q, "job.state.run"));
        Assert.Contains("end_event", Keys(q, "job.inactive-add"));
        var states = q["states"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(["job.state.depend 1 validate", "job.state.priority 2 depend", "job.state.sched 4 priority", "job.state.run 8 alloc",
            "job.state.cleanup 16 finish", "job.state.inactive 32 clean"], states);
    }

    [Fact]
    public async Task Restart_ActiveJob_CreateAndNewWithoutValidate()
    {
        var statedir = TempDirs.Create("jobtap-restart");
        try
        {
            var config = $"[job-manager]\nplugins = [ {{ load = \"{TestPlugin}\" }} ]\n";
            ulong id;
            await using (var first = await JobtapInstance.StartAsync(config, statedir))
            {
                id = await JobClient.SubmitAsync(first.H, JobClient.Job(), urgency: 0);
                await JobClient.WaitForEventAsync(first.H, id, "priority");
            }
            await using var second = await JobtapInstance.StartAsync(config, statedir);
            var topics = (await QueryAsync(second, "jobtap-test"))["topics"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            Assert.Equal(["job.create", "job.new"], topics.Take(2));
            Assert.DoesNotContain("job.validate", topics);
            Assert.Contains("job.state.priority", topics);
            await second.H.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = 16 });
            Assert.True((await JobClient.WaitAsync(second.H, id))["success"]!.GetValue<bool>());
        }
        finally
        {
            TempDirs.Remove(statedir);
        }
    }

    [Fact]
    public async Task Load_WithDependJob_NewPluginSeesDependencyAndStateDepend()
    {
        await using var i = await JobtapInstance.StartAsync();
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.dependencies", new JsonArray(new JsonObject { ["scheme"] = "begin-time", ["value"] = "4102444800.000" })));
        await JobClient.WaitForEventAsync(i.H, id, "dependency-add");
        await i.LoadAsync(TestPlugin);
        var q = await QueryAsync(i, "jobtap-test");
        Assert.Equal(["job.create", "job.new", "job.dependency.begin-time", "job.state.depend"], q["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("dependency", Keys(q, "job.dependency.begin-time"));
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0, ["note"] = string.Empty });
        await JobClient.WaitAsync(i.H, id);
    }
}
