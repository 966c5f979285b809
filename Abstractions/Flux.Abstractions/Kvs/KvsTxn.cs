// A KVS transaction: an ordered list of operations committed atomically (RFC 11, kvs.commit).
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Kvs;

/// <summary>
/// Builds the <c>ops</c> of a <c>kvs.commit</c>: each op is <c>{key, flags, dirent}</c> where dirent
/// is a tree object, or null to unlink. Commit it with <see cref="KvsExtensions.KvsCommitAsync"/>.
/// Values are kept as bytes until the commit is encoded: no tree object is built for them.
/// </summary>
public sealed class KvsTxn
{
    private readonly List<TxnOp> _ops = [];

    /// <summary>Number of operations.</summary>
    public int Count => _ops.Count;

    /// <summary>Puts raw bytes.</summary>
    public KvsTxn Put(string key, ReadOnlySpan<byte> value) => Val(key, KvsFlags.None, value.ToArray());

    /// <summary>Puts a string (UTF-8).</summary>
    public KvsTxn Put(string key, string value) => Val(key, KvsFlags.None, Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>Puts a JSON value, encoded compactly.</summary>
    public KvsTxn PutJson(string key, JsonNode value) => Put(key, (value ?? throw new ArgumentNullException(nameof(value))).ToJsonString());

    /// <summary>Appends raw bytes to a value (an eventlog line, say).</summary>
    public KvsTxn Append(string key, string value) => Val(key, KvsFlags.Append, Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>Appends raw bytes to a value, such as an RFC 18 eventlog line (Flux.Formats.EventlogEntry.ToUtf8Line).</summary>
    public KvsTxn Append(string key, ReadOnlySpan<byte> value) => Val(key, KvsFlags.Append, value.ToArray());

    /// <summary>Creates an empty directory (replacing what is there).</summary>
    public KvsTxn Mkdir(string key) => Op(key, KvsFlags.None, TreeObject.EmptyDir());

    /// <summary>Removes a key or directory.</summary>
    public KvsTxn Unlink(string key) => Op(key, KvsFlags.None, null);

    /// <summary>Creates a symlink.</summary>
    public KvsTxn Symlink(string key, string target, string? ns = null) => Op(key, KvsFlags.None, TreeObject.Symlink(target, ns));

    /// <summary>Puts an arbitrary tree object.</summary>
    public KvsTxn PutTreeObject(string key, JsonObject treeobj) => Op(key, KvsFlags.None, treeobj);

    /// <summary>The ops array as sent in <c>kvs.commit</c> (a new tree on each call).</summary>
    public JsonArray ToJson()
    {
        var ops = new JsonArray();
        foreach (var op in _ops)
        {
            ops.Add((JsonNode)new JsonObject
            {
                ["key"] = op.Key,
                ["flags"] = (int)op.Flags,
                ["dirent"] = op.Value is not null ? TreeObject.Val(op.Value) : op.Dirent?.DeepClone(),
            });
        }
        return ops;
    }

    /// <summary>Writes the ops array, each value's bytes straight to base64.</summary>
    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var op in _ops)
        {
            w.WriteStartObject();
            w.WriteString("key", op.Key);
            w.WriteNumber("flags", (int)op.Flags);
            w.WritePropertyName("dirent");
            if (op.Value is not null)
            {
                w.WriteStartObject();
                w.WriteNumber("ver", 1);
                w.WriteString("type", "val");
                w.WriteBase64String("data", op.Value);
                w.WriteEndObject();
            }
            else if (op.Dirent is not null)
            {
                op.Dirent.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private KvsTxn Val(string key, KvsFlags flags, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _ops.Add(new TxnOp(key, flags, value, null));
        return this;
    }

    private KvsTxn Op(string key, KvsFlags flags, JsonObject? dirent)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _ops.Add(new TxnOp(key, flags, null, dirent));
        return this;
    }

    private readonly record struct TxnOp(string Key, KvsFlags Flags, byte[]? Value, JsonObject? Dirent);
}
