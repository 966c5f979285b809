// A KVS transaction: an ordered list of operations committed atomically (RFC 11, kvs.commit).
using System.Text;
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Kvs;

/// <summary>
/// Builds the <c>ops</c> of a <c>kvs.commit</c>: each op is <c>{key, flags, dirent}</c> where dirent
/// is a tree object, or null to unlink. Commit it with <see cref="KvsExtensions.KvsCommitAsync"/>.
/// </summary>
public sealed class KvsTxn
{
    private readonly JsonArray _ops = [];

    /// <summary>Number of operations.</summary>
    public int Count => _ops.Count;

    /// <summary>Puts raw bytes.</summary>
    public KvsTxn Put(string key, ReadOnlySpan<byte> value) => Op(key, KvsFlags.None, TreeObject.Val(value));

    /// <summary>Puts a string (UTF-8).</summary>
    public KvsTxn Put(string key, string value) => Op(key, KvsFlags.None, TreeObject.Val(value));

    /// <summary>Puts a JSON value, encoded compactly.</summary>
    public KvsTxn PutJson(string key, JsonNode value) => Put(key, (value ?? throw new ArgumentNullException(nameof(value))).ToJsonString());

    /// <summary>Appends raw bytes to a value (an eventlog line, say).</summary>
    public KvsTxn Append(string key, string value) => Op(key, KvsFlags.Append, TreeObject.Val(Encoding.UTF8.GetBytes(value)));

    /// <summary>Creates an empty directory (replacing what is there).</summary>
    public KvsTxn Mkdir(string key) => Op(key, KvsFlags.None, TreeObject.EmptyDir());

    /// <summary>Removes a key or directory.</summary>
    public KvsTxn Unlink(string key) => Op(key, KvsFlags.None, null);

    /// <summary>Creates a symlink.</summary>
    public KvsTxn Symlink(string key, string target, string? ns = null) => Op(key, KvsFlags.None, TreeObject.Symlink(target, ns));

    /// <summary>Puts an arbitrary tree object.</summary>
    public KvsTxn PutTreeObject(string key, JsonObject treeobj) => Op(key, KvsFlags.None, treeobj);

    /// <summary>The ops array as sent in <c>kvs.commit</c>.</summary>
    public JsonArray ToJson() => (JsonArray)_ops.DeepClone();

    private KvsTxn Op(string key, KvsFlags flags, JsonObject? dirent)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _ops.Add(new JsonObject { ["key"] = key, ["flags"] = (int)flags, ["dirent"] = dirent });
        return this;
    }
}
