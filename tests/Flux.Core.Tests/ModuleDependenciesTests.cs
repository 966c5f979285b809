// rc1 side by side: which earlier modules each module waits for at load, and the batches of the
// shutdown's removals.
using Flux.Core.Modules;

namespace Flux.Core.Tests;

public sealed class ModuleDependenciesTests
{
    private static readonly string[] DefaultRc1 =
    [
        "content", "content-sqlite", "kvs", "kvs-watch", "resource", "job-manager", "job-info",
        "job-list", "job-ingest", "job-exec", "sched-simple",
    ];

    private static string[] Waits(string[] names, string module)
    {
        var pre = ModuleDependencies.Prerequisites(names)[Array.IndexOf(names, module)];
        return [.. pre.Select(i => names[i])];
    }

    [Fact]
    public void DefaultRc1_EachModuleWaitsOnlyForWhatItNeeds()
    {
        Assert.Empty(Waits(DefaultRc1, "content"));
        Assert.Equal(["content"], Waits(DefaultRc1, "content-sqlite"));
        Assert.Equal(["content", "content-sqlite"], Waits(DefaultRc1, "kvs"));
        Assert.Equal(["kvs"], Waits(DefaultRc1, "kvs-watch"));
        Assert.Equal(["kvs"], Waits(DefaultRc1, "resource"));
        Assert.Equal(["kvs", "kvs-watch"], Waits(DefaultRc1, "job-manager"));
        Assert.Equal(["kvs", "kvs-watch", "job-manager"], Waits(DefaultRc1, "job-info"));
        Assert.Equal(["kvs", "job-manager"], Waits(DefaultRc1, "job-list"));
        Assert.Equal(["kvs", "job-manager"], Waits(DefaultRc1, "job-exec"));
        Assert.Equal(["resource", "job-manager"], Waits(DefaultRc1, "sched-simple"));
    }

    [Fact]
    public void UnknownModule_WaitsForAllBefore_AndAllAfterWaitForIt()
    {
        string[] names = ["content", "content-sqlite", "kvs", "site-policy", "resource", "job-manager"];
        Assert.Equal(["content", "content-sqlite", "kvs"], Waits(names, "site-policy"));
        Assert.Equal(["site-policy"], Waits(names, "resource"));
        Assert.Equal(["site-policy"], Waits(names, "job-manager"));
    }

    [Fact]
    public void NeedListedLaterOrAbsent_IsNotWaitedFor()
    {
        // A custom rc1 without the backing store, and with sched-simple before resource.
        string[] names = ["content", "kvs", "sched-simple", "job-manager", "resource"];
        Assert.Equal(["content"], Waits(names, "kvs"));
        Assert.Empty(Waits(names, "sched-simple"));
        Assert.Equal(["kvs"], Waits(names, "job-manager"));
        Assert.Equal(["kvs"], Waits(names, "resource"));
    }

    [Fact]
    public void RemovalBatches_DefaultRc1_DependentsGoFirst_PeersTogether()
    {
        var batches = ModuleDependencies.RemovalBatches([.. DefaultRc1.Reverse()], n => n);
        Assert.Equal(
        [
            ["sched-simple", "job-exec", "job-ingest", "job-list", "job-info"],
            ["job-manager", "resource"],
            ["kvs-watch"],
            ["kvs"],
            ["content-sqlite"],
            ["content"],
        ], batches);
    }

    [Fact]
    public void RemovalBatches_UnknownModule_IsRemovedAlone()
    {
        string[] order = ["job-list", "site-policy", "job-exec", "job-info", "job-manager"];
        var batches = ModuleDependencies.RemovalBatches(order, n => n);
        Assert.Equal([["job-list"], ["site-policy"], ["job-exec", "job-info"], ["job-manager"]], batches);
    }
}
