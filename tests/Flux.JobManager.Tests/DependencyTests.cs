// A job with dependencies is refused at submit when no plugin handles their scheme, or the array is malformed (flux-core's words).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.JobManager.Tests;

public sealed class DependencyTests
{
    [Fact]
    public async Task Submit_DependencyOfUnhandledScheme_RefusedAsUnsupportedScheme()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(system: s =>
            s["dependencies"] = new JsonArray(new JsonObject { ["scheme"] = "nosuch", ["value"] = "ƒ2abc" })));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("dependency scheme \"nosuch\" not supported", ex.Message);
        // Refused means not recorded: its KVS data is gone and nothing is active.
        Assert.Null(await rig.H.KvsGetStringAsync(Fluid.Encode(1, FluidEncoding.Kvs) + ".eventlog"));
        Assert.Equal((0, 0), await rig.CountsAsync());
    }

    [Fact]
    public async Task Submit_DependenciesNotAnArray_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(system: s => s["dependencies"] = new JsonObject { ["scheme"] = "after" }));
        Assert.Equal("dependencies object must be an array", ex.Message);
    }

    [Fact]
    public async Task Submit_DependencyWithoutScheme_Refused()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => rig.SubmitAsync(system: s => s["dependencies"] = new JsonArray(new JsonObject { ["value"] = "1" })));
        Assert.Equal("dependency[0] missing string scheme", ex.Message);
    }

    [Fact]
    public async Task Submit_EmptyDependencies_Accepted()
    {
        await using var rig = await JobManagerRig.StartAsync();
        var id = await rig.SubmitAsync(system: s => s["dependencies"] = new JsonArray());
        // Accepted: the job goes on to priority (and perhaps further in the same journal batch).
        Assert.Contains("priority", await rig.Journal.UntilAsync(id, "priority"));
    }
}
