// FluxTestInstance's job pipeline: jobtap plugins loaded by type and by path, submissions refused or stamped, events and states awaited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

public sealed class JobtapTests
{
    private static FluxTestOptions Options(TestExecution execution = TestExecution.None) => JobOptions.With(execution);

    [Fact]
    public async Task Submit_NoPlugin_JobWaitsInSchedWithoutAScheduler()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal(JobState.Sched, await instance.WaitForStateAsync(id, JobState.Sched));
        var names = (await instance.EventlogAsync(id)).Select(e => e.Name).ToList();
        Assert.Equal(["submit", "validate", "depend", "priority"], names);
    }

    [Fact]
    public async Task LoadJobtapByType_RejectsAtValidate_SubmitFailsWithItsMessage()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        Assert.Equal("reject-all", await instance.LoadJobtapAsync<RejectAllPlugin>(new JsonObject { ["message"] = "queue closed for maintenance" }));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Equal("queue closed for maintenance", ex.Message);

        // Removed, it rejects nothing.
        await instance.RemoveJobtapAsync("reject-all");
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        await instance.WaitForStateAsync(id, JobState.Sched);
    }

    [Fact]
    public async Task LoadJobtapByType_PostsAnEvent_ItIsInTheEventlog()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        await instance.LoadJobtapAsync<StampPlugin>(new JsonObject { ["event"] = "checked" });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"), urgency: 12);
        var e = await instance.WaitForEventAsync(id, "checked");
        Assert.Equal(12, e.Context!["urgency"]!.GetValue<int>());
        Assert.Contains(await instance.EventlogAsync(id), x => x.Name == "checked");
        var query = await instance.QueryJobtapAsync("stamp");
        Assert.Equal(typeof(StampPlugin).Assembly.Location, query!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoadJobtapByType_RegisterRefuses_LoadFailsWithItsMessage()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadJobtapAsync<StampPlugin>(new JsonObject { ["event"] = "" }));
        Assert.Contains("stamp: conf event must not be empty", ex.Message, StringComparison.Ordinal);
        // Nothing was loaded, so the plugin loads once its conf is right, and only once.
        await instance.LoadJobtapAsync<StampPlugin>();
        var again = await Assert.ThrowsAsync<FluxException>(() => instance.LoadJobtapAsync<StampPlugin>());
        Assert.Equal(Errno.EEXIST, again.Errnum);
        Assert.Equal("stamp already loaded", again.Message);
    }

    [Fact]
    public async Task LoadJobtapByType_NotAJobtapPlugin_IsRefusedSayingWhy()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadJobtapAsync<NotAJobtapPlugin>());
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("marked [FluxPlugin(\"not-jobtap\", PluginKind.Validator)], expected PluginKind.Jobtap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadJobtapByPath_ItsConfRejects_SubmitFailsWithIt()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var loaded = await instance.LoadJobtapAsync(Repo.TestPlugin("JobtapTestPlugin"), new JsonObject { ["reject"] = "not from this path" });
        Assert.Equal(["jobtap-test"], loaded);
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Equal("not from this path", ex.Message);
    }

    [Fact]
    public async Task SimulatedExecution_PluginPostsAtRun_JobRunsToInactiveWithTheEvent()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options(TestExecution.Simulated));
        await instance.LoadJobtapAsync(Repo.TestPlugin("JobtapTestPlugin"), new JsonObject { ["post"] = "ran" });
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        Assert.Equal(JobState.Inactive, await instance.WaitForStateAsync(id, JobState.Inactive));
        // job.state.run is called once alloc is posted, before job-manager asks job-exec to start the job.
        var names = (await instance.EventlogAsync(id)).Select(e => e.Name).ToList();
        Assert.Equal(["submit", "validate", "depend", "priority", "alloc", "ran", "start", "finish", "release", "free", "clean"], names);
        var ran = await instance.WaitForEventAsync(id, "ran");
        Assert.Equal("jobtap-test", ran.Context!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task WaitForEvent_NeverPosted_TimesOutNamingTheEventsSeen()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var id = await instance.SubmitAsync(FluxTestInstance.Jobspec("true"));
        await instance.WaitForStateAsync(id, JobState.Sched);
        // No scheduler: alloc never comes, so this times out whatever the machine's speed.
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => instance.WaitForEventAsync(id, "alloc", TimeSpan.FromSeconds(3)));
        Assert.Contains("no event 'alloc'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("its events: submit, validate, depend, priority; state SCHED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_InstanceStartedWithout_SaysHowToEnableThem()
    {
        var o = new FluxTestOptions { Kvs = false };
        o.ModulePath.Add(Repo.Modules);
        await using var instance = await FluxTestInstance.StartAsync(o);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => instance.SubmitAsync(FluxTestInstance.Jobspec("true")));
        Assert.Contains("FluxTestOptions.Jobs = true", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => FluxTestInstance.StartAsync(new FluxTestOptions { Kvs = false, Jobs = true }));
        var noJobs = await Assert.ThrowsAsync<ArgumentException>(() => FluxTestInstance.StartAsync(new FluxTestOptions { Execution = TestExecution.Simulated }));
        Assert.Contains("set FluxTestOptions.Jobs = true", noJobs.Message, StringComparison.Ordinal);
    }
}
