// KVS client calls over any handle: commit, lookup, and helpers for values and eventlogs.
using System.Text;
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Kvs;

/// <summary>KVS requests (flux-core's <c>kvs.commit</c> and <c>kvs.lookup</c> protocol) on an <see cref="IFlux"/>.</summary>
public static class KvsExtensions
{
    /// <summary>The default namespace.</summary>
    public const string Primary = "primary";

    /// <summary>Commits a transaction atomically; returns the new root's sequence number.</summary>
    public static async Task<long> KvsCommitAsync(this IFlux flux, KvsTxn txn, string ns = Primary, KvsCommitFlags flags = KvsCommitFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flux);
        ArgumentNullException.ThrowIfNull(txn);
        // The request is written straight from the ops: a commit of many eventlog lines builds no tree.
        var payload = Message.EncodeJson((ns, flags, txn), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("namespace", s.ns);
            w.WriteNumber("flags", (int)s.flags);
            w.WritePropertyName("ops");
            s.txn.WriteTo(w);
            w.WriteEndObject();
        });
        var request = new Message(MessageType.Request) { Topic = "kvs.commit", NodeIdTarget = NodeId.Any };
        request.SetPayload(payload);
        var resp = await flux.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        return resp.GetJsonOrNull()?["rootseq"]?.GetValue<long>() ?? 0;
    }

    /// <summary>Looks up a key's tree object (with <see cref="KvsFlags"/>), or null when it does not exist.</summary>
    public static async Task<JsonObject?> KvsLookupAsync(this IFlux flux, string key, string ns = Primary, KvsFlags flags = KvsFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flux);
        try
        {
            var resp = await flux.RpcAsync("kvs.lookup", new JsonObject
            {
                ["key"] = key,
                ["namespace"] = ns,
                ["flags"] = (int)flags,
            }, NodeId.Any, cancellationToken).ConfigureAwait(false);
            return resp?["val"] as JsonObject;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>A value as a string, or null when the key does not exist.</summary>
    public static async Task<string?> KvsGetStringAsync(this IFlux flux, string key, string ns = Primary, CancellationToken cancellationToken = default)
    {
        var val = await flux.KvsLookupAsync(key, ns, KvsFlags.None, cancellationToken).ConfigureAwait(false);
        return val is null ? null : Encoding.UTF8.GetString(TreeObject.ValBytes(val));
    }

    /// <summary>A JSON value, or null when the key does not exist.</summary>
    public static async Task<JsonNode?> KvsGetJsonAsync(this IFlux flux, string key, string ns = Primary, CancellationToken cancellationToken = default)
    {
        var s = await flux.KvsGetStringAsync(key, ns, cancellationToken).ConfigureAwait(false);
        return s is null ? null : JsonNode.Parse(s);
    }

    /// <summary>The names in a directory, or an empty list when it does not exist.</summary>
    public static async Task<IReadOnlyList<string>> KvsListAsync(this IFlux flux, string key, string ns = Primary, CancellationToken cancellationToken = default)
    {
        var dir = await flux.KvsLookupAsync(key, ns, KvsFlags.ReadDir, cancellationToken).ConfigureAwait(false);
        if (dir is null)
        {
            return [];
        }
        return dir["data"] is JsonObject entries ? [.. entries.Select(kv => kv.Key)] : [];
    }
}
