// flux update through job-manager.update: job.update.KEY decides, job.validate checks, jobspec-update then job.update; .validate-duration.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class UpdateTests
{
    private static string TestPlugin => Repo.TestPlugin("JobtapTestPlugin");

    private static Task<JsonObject?> UpdateAsync(JobtapInstance i, ulong id, string key, JsonNode value) =>
        i.H.RpcAsync("job-manager.update", new JsonObject { ["id"] = id, ["updates"] = new JsonObject { [key] = value } });

    // Read once the job is inactive: job-manager.wait answers after the job's last events are in the KVS.
    private static async Task<EventlogEntry> EventAsync(JobtapInstance i, ulong id, string name)
    {
        await JobClient.WaitAsync(i.H, id);
        var log = await i.H.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog");
        return Eventlog.Parse(log!).Last(e => e.Name == name);
    }

    [Fact]
    public async Task Update_Duration_JobspecUpdateEventThenJobUpdateTopic()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 60.0), urgency: 0);
        await JobClient.WaitForEventAsync(i.H, id, "priority");
        await UpdateAsync(i, id, "attributes.system.duration", 120.0);
        var q = (await i.QueryAsync("jobtap-test"))!;
        var keyTopic = q["in"]!["job.update.attributes.system.duration"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        Assert.Contains("cred", keyTopic);
        Assert.Contains("key", keyTopic);
        Assert.Contains("value", keyTopic);
        Assert.Contains("updates", q["in"]!["job.update"]!.AsArray().Select(k => k!.GetValue<string>()));
        var lookup = (await i.H.RpcAsync("job-manager.jobtap-test.lookup", new JsonObject { ["id"] = id }))!;
        Assert.Equal(120.0, lookup["jobspec"]!["attributes"]!["system"]!["duration"]!.GetValue<double>());
        await i.H.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = 16 });
        var update = await EventAsync(i, id, "jobspec-update");
        Assert.Equal(120.0, update.Context!["attributes.system.duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Update_KeyNoPluginAllows_RefusedNotSupported()
    {
        await using var i = await JobtapInstance.StartAsync();
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job(), urgency: 0);
        var ex = await Assert.ThrowsAsync<FluxException>(() => UpdateAsync(i, id, "attributes.system.bank", "physics"));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("update of attributes.system.bank not supported", ex.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<FluxException>(() => UpdateAsync(i, id, "resources", 1));
        Assert.Contains("one or more jobspec updates are invalid", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("jobspec-update", await JobClient.EventNamesAsync(i.H, id));
    }

    [Fact]
    public async Task Update_PluginRefuses_RefusedWithItsMessage()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["update"] = "attributes.system.job.name", ["update-reject"] = "names are final" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job(), urgency: 0);
        var ex = await Assert.ThrowsAsync<FluxException>(() => UpdateAsync(i, id, "attributes.system.job.name", "x"));
        Assert.Contains("names are final", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_UpdatedJobspecOverLimit_RefusedByValidate()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits]\nduration = \"1m\"\n");
        await i.LoadAsync(TestPlugin, new JsonObject { ["update"] = "attributes.system.job.name" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 30.0), urgency: 0);
        // The test plugin allows any key without saying validated: job.validate sees the updated jobspec.
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.update", new JsonObject
        {
            ["id"] = id,
            ["updates"] = new JsonObject { ["attributes.system.job.name"] = "long", ["attributes.system.duration"] = 3600.0 },
        }));
        Assert.Contains("exceeds policy limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateDuration_OwnerOverLimit_AllowedWithoutValidation()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits]\nduration = \"1m\"\n");
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 30.0), urgency: 0);
        await UpdateAsync(i, id, "attributes.system.duration", 3600.0);
        var neg = await Assert.ThrowsAsync<FluxException>(() => UpdateAsync(i, id, "attributes.system.duration", -1.0));
        Assert.Contains("duration must not be negative", neg.Message, StringComparison.Ordinal);
        await i.H.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = 16 });
        Assert.Equal(3600.0, (await EventAsync(i, id, "jobspec-update")).Context!["attributes.system.duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task ValidateDuration_LongerThanInstanceLeft_Rejected()
    {
        await using var i = await JobtapInstance.StartAsync();
        var expiration = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600.0;
        var r = new JsonObject { ["version"] = 1, ["execution"] = new JsonObject { ["R_lite"] = new JsonArray(), ["starttime"] = 0.0, ["expiration"] = expiration } };
        await i.H.KvsCommitAsync(new KvsTxn().PutJson("resource.R", r));
        // The plugin follows resource.R through kvs-watch; its query shows when it has seen this one.
        await Await.Within(WaitExpirationAsync(i, expiration), ".validate-duration to see the expiration in resource.R");
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 3600.0)));
        Assert.Contains("job duration (1h) exceeds remaining instance lifetime", ex.Message, StringComparison.Ordinal);
        var ok = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 60.0));
        Assert.True((await JobClient.WaitAsync(i.H, ok))["success"]!.GetValue<bool>());
    }

    private static async Task WaitExpirationAsync(JobtapInstance i, double expiration)
    {
        while ((await i.QueryAsync(".validate-duration"))!["expiration"]!.GetValue<double>() != expiration)
        {
            await Task.Yield();
        }
    }

    [Fact]
    public async Task UpdateDuration_ReloadedWithOwnerAllowAnyZero_OwnerHeldToLimits()
    {
        await using var i = await JobtapInstance.StartAsync("[policy.limits]\nduration = \"1h\"\n");
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 60.0), urgency: 0);
        // The instance owner may go past the limits by default ...
        await UpdateAsync(i, id, "attributes.system.duration", 7200.0);
        var before = await i.PluginsAsync();
        await i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = ".update-duration", ["load"] = ".update-duration", ["conf"] = new JsonObject { ["owner-allow-any"] = 0 } });
        Assert.Equal(before, await i.PluginsAsync());
        // ... not once the builtin is reloaded with owner-allow-any=0 (flux-core's t2290).
        var ex = await Assert.ThrowsAsync<FluxException>(() => UpdateAsync(i, id, "attributes.system.duration", 10800.0));
        Assert.Contains("requested duration exceeds policy limit of 1h", ex.Message, StringComparison.Ordinal);
        var alone = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = ".update-duration" }));
        Assert.Equal(Errno.EINVAL, alone.Errnum);
    }
}
