// The jobtap tests' instance: the job pipeline (ingest, job-manager, testexec) and a scripted scheduler granting every request.
using System.Text.Json.Nodes;
using Flux.Client.Handle;

namespace Flux.Jobtap.Tests;

internal sealed class JobtapInstance : IAsyncDisposable
{
    private static readonly IReadOnlyList<string> Modules = [.. TestInstance.KvsModules, "job-manager", "job-ingest", "job-exec"];

    private JobtapInstance(TestInstance inst, FluxHandle h)
    {
        Inst = inst;
        H = h;
    }

    public TestInstance Inst { get; }

    public FluxHandle H { get; }

    public static async Task<JobtapInstance> StartAsync(string config = "", string? statedir = null)
    {
        var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = Modules, Config = "[exec.testexec]\nenable = true\n" + config, Statedir = statedir });
        var h = await inst.ConnectAsync();
        await ScriptedScheduler.StartAsync(h);
        return new JobtapInstance(inst, h);
    }

    /// <summary>The names job-manager.jobtap lists, in load order.</summary>
    public async Task<List<string>> PluginsAsync() =>
        [.. ((await H.RpcAsync("job-manager.jobtap", new JsonObject { ["query_only"] = true }))!["plugins"] as JsonArray)!.Select(p => p!.GetValue<string>())];

    public Task<JsonObject?> LoadAsync(string spec, JsonObject? conf = null) =>
        H.RpcAsync("job-manager.jobtap", new JsonObject { ["load"] = spec, ["conf"] = conf ?? [] });

    public Task<JsonObject?> QueryAsync(string name) => H.RpcAsync("job-manager.jobtap-query", new JsonObject { ["name"] = name });

    public async ValueTask DisposeAsync()
    {
        await H.DisposeAsync();
        await Inst.DisposeAsync();
    }
}
