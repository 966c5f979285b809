// An in-process broker with the resource module (and usually sched-simple) and a config dir, reached over loop://.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Resource.Tests;

internal sealed class ResourceInstance : IAsyncDisposable
{
    private static int _next;

    private readonly string? _configDir;

    private ResourceInstance(Broker broker, string name, string? configDir)
    {
        Broker = broker;
        Name = name;
        _configDir = configDir;
    }

    public Broker Broker { get; }

    public string Name { get; }

    /// <summary>Writes <paramref name="toml"/> as resource.toml in a new directory and returns the directory.</summary>
    public static string ConfigDir(string toml)
    {
        var dir = TempDirs.Create("flux-resource-test-");
        File.WriteAllText(Path.Combine(dir, "resource.toml"), toml);
        return dir;
    }

    /// <summary>Starts a broker loading <paramref name="rc1"/> (default: resource only) at start-up.</summary>
    public static async Task<ResourceInstance> StartAsync(string? toml = null, IReadOnlyList<string>? rc1 = null, string? statedir = null)
    {
        var name = $"res{Interlocked.Increment(ref _next)}-{Environment.ProcessId}";
        var configDir = toml is null ? null : ConfigDir(toml);
        var options = new BrokerOptions
        {
            LoopName = name,
            Listen = false,
            ConfigPath = configDir,
            Rc1Modules = rc1 ?? ["resource"],
        };
        options.Attributes["conf.module_path"] = Repo.Modules;
        if (statedir is not null)
        {
            options.Attributes["statedir"] = statedir;
        }
        var broker = new Broker(options);
        try
        {
            await broker.StartAsync();
        }
        catch
        {
            await broker.DisposeAsync();
            RemoveDir(configDir);
            throw;
        }
        return new ResourceInstance(broker, name, configDir);
    }

    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"loop://{Name}?userid={u}" : $"loop://{Name}");

    /// <summary>Loads sched-simple with arguments; returns once its hello and ready are done (or it waits for the job manager).</summary>
    public static Task LoadSchedAsync(IFlux h, params string[] args) =>
        h.RpcAsync("module.load", new JsonObject { ["path"] = "sched-simple", ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]) });

    public string Dmesg() => string.Join('\n', Broker.Log.Snapshot().Select(e => $"{e.Name}: {e.Text}"));

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        RemoveDir(_configDir);
    }

    public static void RemoveDir(string? dir)
    {
        if (dir is not null && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
