// Client-side helpers speaking the kvs protocol (RFC 11) directly, for the KVS tests.
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Kvs.Tests;

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
