// An in-process broker with the content, content-sqlite, kvs and kvs-watch modules, reached over loop://.
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Kvs.Tests;

internal sealed class KvsInstance : IAsyncDisposable
{
    private static int _next;

    private KvsInstance(Broker broker, string name, string statedir)
    {
        Broker = broker;
        Name = name;
        Statedir = statedir;
    }

    public Broker Broker { get; }

    public string Name { get; }

    public string Statedir { get; }

    public static async Task<KvsInstance> StartAsync(string? statedir = null, string? configPath = null, IEnumerable<KeyValuePair<string, string>>? attrs = null)
    {
        var name = $"kvs{Interlocked.Increment(ref _next)}-{Environment.ProcessId}";
        statedir ??= TempDirs.Create("flux-kvs-test-");
        var options = new BrokerOptions
        {
            LoopName = name,
            Listen = false,
            ConfigPath = configPath,
            Rc1Modules = ["content", "content-sqlite", "kvs", "kvs-watch"],
        };
        options.Attributes["conf.module_path"] = Repo.Modules;
        options.Attributes["statedir"] = statedir;
        foreach (var (k, v) in attrs ?? [])
        {
            options.Attributes[k] = v;
        }
        var broker = new Broker(options);
        try
        {
            await broker.StartAsync();
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return new KvsInstance(broker, name, statedir);
    }

    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"loop://{Name}?userid={u}" : $"loop://{Name}");

    public string Dmesg() => string.Join('\n', Broker.Log.Snapshot().Select(e => $"{e.Name}: {e.Text}"));

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();
}

/// <summary>Client-side helpers speaking the kvs protocol.</summary>
internal static class Kvs
{
    public static JsonObject Val(string s) => new() { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) };

    /// <summary>FLUX_KVS_APPEND, as flux-core numbers it.</summary>
    public const int AppendFlag = 32;

    public static JsonObject Op(string key, JsonNode? dirent, int flags = 0) => new() { ["key"] = key, ["flags"] = flags, ["dirent"] = dirent };

    public static async Task<JsonObject> CommitAsync(IFlux h, params JsonObject[] ops) =>
        (await h.RpcAsync("kvs.commit", new JsonObject { ["namespace"] = "primary", ["flags"] = 0, ["ops"] = new JsonArray(ops) }))!;

    public static async Task<JsonObject> CommitNsAsync(IFlux h, string ns, int flags, params JsonObject[] ops) =>
        (await h.RpcAsync("kvs.commit", new JsonObject { ["namespace"] = ns, ["flags"] = flags, ["ops"] = new JsonArray(ops) }))!;

    public static Task<JsonObject> PutAsync(IFlux h, string key, string value) => CommitAsync(h, Op(key, Val(value)));

    public static async Task<JsonObject> LookupAsync(IFlux h, string key, int flags = 0, string ns = "primary", string? rootref = null)
    {
        var req = new JsonObject { ["key"] = key, ["flags"] = flags, ["namespace"] = ns };
        if (rootref is not null)
        {
            req["rootdir"] = new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(rootref) };
        }
        return (JsonObject)(await h.RpcAsync("kvs.lookup", req))!["val"]!;
    }

    public static async Task<string> GetAsync(IFlux h, string key, string ns = "primary", string? rootref = null) =>
        Text(await LookupAsync(h, key, 0, ns, rootref));

    public static string Text(JsonNode val) => Encoding.UTF8.GetString(Convert.FromBase64String(val["data"]!.GetValue<string>()));
}
