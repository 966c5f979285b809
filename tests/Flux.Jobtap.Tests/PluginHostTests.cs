// job-manager as a jobtap host: list, load, remove and query; topics in order; rejections, events, dependencies and faults.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;

namespace Flux.Jobtap.Tests;

public sealed class PluginHostTests
{
    private static string TestPlugin => Repo.TestPlugin("JobtapTestPlugin");

    [Fact]
    public async Task List_AtStart_BuiltinsWithLeadingDot()
    {
        await using var i = await JobtapInstance.StartAsync();
        var names = await i.PluginsAsync();
        Assert.Contains(".priority-default", names);
        Assert.Contains(".dependency-after", names);
        Assert.Contains(".begin-time", names);
        Assert.All(names, n => Assert.StartsWith(".", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remove_Builtin_Refused()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = ".priority-default" }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains(".priority-default", await i.PluginsAsync());
        var none = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = "all" }));
        Assert.Contains("Failed to find plugin to remove", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ThenRemove_ListedThenGone()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        Assert.Equal("jobtap-test", (await i.PluginsAsync())[^1]);
        var dup = await Assert.ThrowsAsync<FluxException>(() => i.LoadAsync(TestPlugin));
        Assert.Equal(Errno.EEXIST, dup.Errnum);
        var q = await i.QueryAsync("jobtap-test");
        Assert.Equal(TestPlugin, q!["path"]!.GetValue<string>());
        Assert.Equal("builtin", (await i.QueryAsync(".priority-default"))!["path"]!.GetValue<string>());
        await i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = "jobtap-*" });
        Assert.DoesNotContain("jobtap-test", await i.PluginsAsync());
    }

    [Fact]
    public async Task Submit_WithPlugin_TopicsInJobOrder()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var topics = (await i.QueryAsync("jobtap-test"))!["topics"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal(["job.create", "job.validate", "job.new", "job.state.depend", "job.state.priority", "job.state.sched", "job.state.run", "job.state.cleanup", "job.state.inactive", "job.inactive-add"], topics);
    }

    [Fact]
    public async Task Validate_PluginRejects_SubmitterSeesMessage()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["reject"] = "no jobs on Sundays" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job()));
        Assert.Contains("no jobs on Sundays", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PluginThrows_RejectedNamingPluginAndManagerKeepsRunning()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["throw"] = "job.validate" });
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job()));
        Assert.Contains("jobtap plugin jobtap-test failed at job.validate: thrown on purpose", ex.Message, StringComparison.Ordinal);
        await i.H.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = "jobtap-test" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task StateRun_PluginThrows_JobExceptionNamesPlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["throw"] = "job.state.run" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var log = await i.H.KvsGetStringAsync(Flux.Formats.Fluid.Encode(id, Flux.Formats.FluidEncoding.Kvs) + ".eventlog");
        Assert.Contains("jobtap plugin jobtap-test failed at job.state.run", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_FromStateRun_InEventlogAfterAlloc()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["post"] = "tapped" });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitAsync(i.H, id);
        var events = await JobClient.EventNamesAsync(i.H, id);
        Assert.True(events.IndexOf("tapped") > events.IndexOf("alloc"), string.Join(",", events));
    }

    [Fact]
    public async Task Dependency_AddedAtNew_HeldUntilPluginServiceRemovesIt()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin, new JsonObject { ["hold"] = true });
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
        await JobClient.WaitForEventAsync(i.H, id, "dependency-add");
        Assert.DoesNotContain("depend", await JobClient.EventNamesAsync(i.H, id));
        await i.H.RpcAsync("job-manager.jobtap-test.release", new JsonObject { ["id"] = id });
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
        var events = await JobClient.EventNamesAsync(i.H, id);
        Assert.True(events.IndexOf("dependency-remove") < events.IndexOf("depend"), string.Join(",", events));
    }

    [Fact]
    public async Task ConfigPlugins_AtStart_LoadedWithConf()
    {
        var config = $"[job-manager]\nplugins = [ {{ load = \"{TestPlugin}\", conf = {{ reject = \"from config\" }} }} ]\n";
        await using var i = await JobtapInstance.StartAsync(config);
        Assert.Equal("jobtap-test", (await i.PluginsAsync())[^1]);
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job()));
        Assert.Contains("from config", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigPlugins_UnknownKey_StartRefusedNamingKey()
    {
        var config = $"[job-manager]\nplugins = [ {{ load = \"{TestPlugin}\", bogus = 1 }} ]\n";
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => JobtapInstance.StartAsync(config));
        Assert.Contains("bogus", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfReload_PluginRefuses_ReloadFailsNamingPlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        await File.WriteAllTextAsync(Path.Combine(i.Inst.ConfigDir!, "refuse.toml"), "[test]\nrefuse = true\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("config.reload"));
        Assert.Contains("jobtap plugin jobtap-test: refused by test", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfReload_LaterPluginRefuses_EarlierPluginsKeepOldConf()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(TestPlugin);
        // .limit-duration (a builtin, loaded before) takes the 1m limit first; the refusal gives it the old conf back.
        await File.WriteAllTextAsync(Path.Combine(i.Inst.ConfigDir!, "refuse.toml"), "[test]\nrefuse = true\n[policy.limits]\nduration = \"1m\"\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.H.RpcAsync("config.reload"));
        Assert.Contains("job-manager", ex.Message, StringComparison.Ordinal);
        Assert.Contains("jobtap plugin jobtap-test: refused by test", ex.Message, StringComparison.Ordinal);
        var id = await JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 3600.0));
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ConfReload_Accepted_PluginsSeeNewConf()
    {
        await using var i = await JobtapInstance.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(i.Inst.ConfigDir!, "limits.toml"), "[policy.limits]\nduration = \"1m\"\n");
        await i.H.RpcAsync("config.reload");
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job().SetAttr("system.duration", 3600.0)));
        Assert.Contains("exceeds policy limit of 1m", ex.Message, StringComparison.Ordinal);
    }
}
