// .dependency-singleton (flux-core's singleton scheme) and alloc-check (a loadable plugin): held, released, refused, double booking.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Tests;

public sealed class SingletonTests
{
    private static JobspecBuilder Named(string? name, double runSeconds, bool singleton)
    {
        var b = JobClient.Job(runSeconds);
        if (name is not null)
        {
            b.SetAttr("system.job.name", name);
        }
        return singleton ? b.SetAttr("system.dependencies", new JsonArray(new JsonObject { ["scheme"] = "singleton", ["value"] = "" })) : b;
    }

    private static Task CancelAsync(JobtapInstance i, ulong id) =>
        i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0 });

    [Fact]
    public async Task Singleton_NoOtherJobOfName_RunsWithoutDependency()
    {
        await using var i = await JobtapInstance.StartAsync();
        var other = await JobClient.SubmitAsync(i.H, Named("other", 30, singleton: false));
        var id = await JobClient.SubmitAsync(i.H, Named("solo", 0, singleton: true));
        Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
        Assert.DoesNotContain("dependency-add", await JobClient.EventNamesAsync(i.H, id));
        await CancelAsync(i, other);
    }

    [Fact]
    public async Task Singleton_SameNameActive_HeldUntilItEndsThenOldestReleased()
    {
        await using var i = await JobtapInstance.StartAsync();
        var first = await JobClient.SubmitAsync(i.H, Named("nightly", 30, singleton: false));
        var second = await JobClient.SubmitAsync(i.H, Named("nightly", 30, singleton: true));
        var third = await JobClient.SubmitAsync(i.H, Named("nightly", 0, singleton: true));
        await JobClient.WaitForEventAsync(i.H, third, "dependency-add");
        var q = (await i.QueryAsync(".dependency-singleton"))!;
        var key = q.Select(kv => kv.Key).Single(k => k.EndsWith(":nightly", StringComparison.Ordinal));
        Assert.Equal(3, q[key]!["count"]!.GetValue<int>());
        Assert.Equal([second, third], q[key]!["singletons"]!.AsArray().Select(n => n!.GetValue<ulong>()));
        await CancelAsync(i, first);
        // The oldest held singleton goes first; the other waits for it in turn.
        await JobClient.WaitForEventAsync(i.H, second, "start");
        Assert.DoesNotContain("dependency-remove", await JobClient.EventNamesAsync(i.H, third));
        await CancelAsync(i, second);
        Assert.True((await JobClient.WaitAsync(i.H, third))["success"]!.GetValue<bool>());
        Assert.DoesNotContain((await i.QueryAsync(".dependency-singleton"))!, kv => kv.Key.EndsWith(":nightly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Singleton_HeldJobCanceled_NextOneReleasedWhenNameFree()
    {
        await using var i = await JobtapInstance.StartAsync();
        var first = await JobClient.SubmitAsync(i.H, Named("n", 30, singleton: false));
        var held = await JobClient.SubmitAsync(i.H, Named("n", 0, singleton: true));
        var next = await JobClient.SubmitAsync(i.H, Named("n", 0, singleton: true));
        await JobClient.WaitForEventAsync(i.H, next, "dependency-add");
        await CancelAsync(i, held);
        await JobClient.WaitAsync(i.H, held);
        await CancelAsync(i, first);
        Assert.True((await JobClient.WaitAsync(i.H, next))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Singleton_NoJobName_Rejected()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, Named(null, 0, singleton: true)));
        Assert.Contains("singleton jobs require a job name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocCheck_TwoJobsGivenSameCore_SecondGetsFatalException()
    {
        // The scripted scheduler grants rank 0 core 0 to every job: two at once are double booked.
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync("alloc-check");
        var first = await JobClient.SubmitAsync(i.H, JobClient.Job(30));
        await JobClient.WaitForEventAsync(i.H, first, "start");
        var second = await JobClient.SubmitAsync(i.H, JobClient.Job(30));
        var result = await JobClient.WaitAsync(i.H, second);
        Assert.False(result["success"]!.GetValue<bool>());
        Assert.Contains("resources already allocated", result["errstr"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, (await i.QueryAsync("alloc-check"))!["allocated"]!.GetValue<int>());
        await CancelAsync(i, first);
        await JobClient.WaitAsync(i.H, first);
        Assert.Equal(0, (await i.QueryAsync("alloc-check"))!["allocated"]!.GetValue<int>());
    }

    [Fact]
    public async Task AllocCheck_JobsOneAfterAnother_NoException()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync("alloc-check");
        Assert.Contains("alloc-check", await i.PluginsAsync());
        for (var n = 0; n < 3; n++)
        {
            var id = await JobClient.SubmitAsync(i.H, JobClient.Job());
            Assert.True((await JobClient.WaitAsync(i.H, id))["success"]!.GetValue<bool>());
        }
    }
}
