// The sample third-party jobtap plugin (samples/ActiveJobLimit) loaded by path into a running instance.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;

namespace Flux.Jobtap.Tests;

public sealed class SampleTests
{
    private static string SamplePath()
    {
        var path = Path.Combine(Repo.Root, "samples", "ActiveJobLimit", "bin", "Release", "net10.0", "ActiveJobLimit.dll");
        Assert.True(File.Exists(path), $"{path} is missing: ./build.sh builds the samples against the packed Flux.Abstractions");
        return path;
    }

    [Fact]
    public async Task ActiveJobLimit_MaxTwo_ThirdActiveJobRejectedWithMessage()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(SamplePath(), new JsonObject { ["max"] = 2 });
        var a = await JobClient.SubmitAsync(i.H, JobClient.Job(60));
        await JobClient.SubmitAsync(i.H, JobClient.Job(60));
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(i.H, JobClient.Job(60)));
        Assert.Contains($"user {PeerCredentials.CurrentUid} already has 2 active jobs (limit 2)", ex.Message, StringComparison.Ordinal);
        // A job that ends frees its place.
        await i.H.RpcAsync("job-manager.raise", new JsonObject { ["id"] = a, ["type"] = "cancel", ["severity"] = 0 });
        await JobClient.WaitAsync(i.H, a);
        await JobClient.SubmitAsync(i.H, JobClient.Job());
    }

    [Fact]
    public async Task ActiveJobLimit_MaxGiven_ThePluginSeesIt()
    {
        await using var i = await JobtapInstance.StartAsync();
        await i.LoadAsync(SamplePath(), new JsonObject { ["max"] = 7 });
        Assert.Equal(7, (await i.QueryAsync("active-job-limit"))!["max"]!.GetValue<int>());
    }

    [Fact]
    public async Task ActiveJobLimit_UnknownKey_LoadRefusedNamingPluginKeyAndAcceptedKeys()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.LoadAsync(SamplePath(), new JsonObject { ["maxx"] = 2 }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("jobtap plugin active-job-limit: [conf] maxx: unknown key (expected max), got 2", ex.Message);
        Assert.DoesNotContain("active-job-limit", await i.PluginsAsync());
    }

    [Fact]
    public async Task ActiveJobLimit_MaxNotAnInteger_LoadRefusedNamingTheKey()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.LoadAsync(SamplePath(), new JsonObject { ["max"] = "lots" }));
        Assert.Equal("jobtap plugin active-job-limit: [conf] max: expected an integer from -2147483648 to 2147483647, got \"lots\"", ex.Message);
        Assert.DoesNotContain("active-job-limit", await i.PluginsAsync());
    }

    [Fact]
    public async Task ActiveJobLimit_NegativeMax_LoadRefusedByThePlugin()
    {
        await using var i = await JobtapInstance.StartAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => i.LoadAsync(SamplePath(), new JsonObject { ["max"] = -1 }));
        Assert.Contains("max must be a count >= 0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("active-job-limit", await i.PluginsAsync());
    }

    [Fact]
    public async Task ActiveJobLimit_ConfInConfig_Bound()
    {
        var path = SamplePath().Replace("\\", "\\\\", StringComparison.Ordinal);
        await using var i = await JobtapInstance.StartAsync($"[job-manager]\nplugins = [{{ load = \"{path}\", conf = {{ max = 3 }} }}]\n");
        Assert.Equal(3, (await i.QueryAsync("active-job-limit"))!["max"]!.GetValue<int>());
    }

    [Fact]
    public async Task ActiveJobLimit_UnknownKeyInConfig_NotLoadedAndTheLogSaysWhy()
    {
        var path = SamplePath().Replace("\\", "\\\\", StringComparison.Ordinal);
        await using var i = await JobtapInstance.StartAsync($"[job-manager]\nplugins = [{{ load = \"{path}\", conf = {{ maxx = 3 }} }}]\n");
        Assert.DoesNotContain("active-job-limit", await i.PluginsAsync());
        Assert.Contains("job-manager.plugins[0]: jobtap plugin active-job-limit: test.toml: [job-manager.plugins[0].conf] maxx: unknown key (expected max), got 3", i.Inst.Dmesg(), StringComparison.Ordinal);
    }
}
