// Restoring a tar archive written by 'flux dump' into the KVS: the one implementation behind flux restore and flux start -Scontent.restore.
using System.Formats.Tar;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Client.Kvs;

/// <summary>
/// Puts the entries of a <c>flux dump</c> archive into a KVS namespace with <c>kvs.commit</c>: each
/// regular file is a value named by its path ('/' for '.'), a symbolic link is a KVS symlink
/// (<c>NS::TARGET</c> names another namespace), an empty directory is an empty directory. Keys are
/// committed in batches of <see cref="OpsPerCommit"/>.
/// </summary>
public static class KvsArchive
{
    /// <summary>How many keys one commit carries.</summary>
    public const int OpsPerCommit = 1000;

    /// <summary>
    /// Restores the archive read from <paramref name="tar"/> into <paramref name="ns"/> (null: primary) and
    /// returns the number of keys restored (values and symlinks; directories are not counted).
    /// With <paramref name="replace"/>, every key already in the namespace is unlinked in the first
    /// commit, so the namespace then holds what the archive holds and nothing else (as flux-core's
    /// restore at start, which truncates the content store first). <paramref name="restored"/> is told
    /// of each key (and the count so far) as it is queued. A malformed archive is an
    /// <see cref="InvalidDataException"/> from the tar reader; a refused commit a <see cref="FluxException"/>.
    /// </summary>
    public static async Task<int> RestoreAsync(FluxHandle h, Stream tar, string? ns, bool replace, Func<string, int, ValueTask>? restored, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(tar);
        var count = 0;
        var ops = replace ? await UnlinkAllAsync(h, ns, ct).ConfigureAwait(false) : [];
        var reader = new TarReader(tar);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
            {
                var key = entry.Name.Trim('/').Replace('/', '.');
                if (key.Length == 0 || await DirentAsync(entry, ct).ConfigureAwait(false) is not { } dirent)
                {
                    continue;
                }
                ops.Add((JsonNode)Op(key, dirent));
                count += entry.EntryType == TarEntryType.Directory ? 0 : 1;
                if (ops.Count >= OpsPerCommit)
                {
                    await CommitAsync(h, ns, ops, ct).ConfigureAwait(false);
                    ops = [];
                }
                if (restored is not null)
                {
                    await restored(key, count).ConfigureAwait(false);
                }
            }
        }
        if (ops.Count > 0)
        {
            await CommitAsync(h, ns, ops, ct).ConfigureAwait(false);
        }
        return count;
    }

    private static async Task<JsonObject?> DirentAsync(TarEntry entry, CancellationToken ct)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return TreeObject.EmptyDir();
            case TarEntryType.SymbolicLink:
                var sep = entry.LinkName.IndexOf("::", StringComparison.Ordinal);
                return sep < 0 ? TreeObject.Symlink(entry.LinkName) : TreeObject.Symlink(entry.LinkName[(sep + 2)..], entry.LinkName[..sep]);
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                using (var ms = new MemoryStream())
                {
                    if (entry.DataStream is { } ds)
                    {
                        await ds.CopyToAsync(ms, ct).ConfigureAwait(false);
                    }
                    return TreeObject.Val(ms.GetBuffer().AsSpan(0, (int)ms.Length));
                }
            default:
                return null;
        }
    }

    // One unlink (a null dirent, RFC 11) per key at the top of the namespace.
    private static async Task<JsonArray> UnlinkAllAsync(FluxHandle h, string? ns, CancellationToken ct)
    {
        var req = new JsonObject { ["key"] = ".", ["flags"] = (int)KvsFlags.ReadDir, ["namespace"] = ns ?? "primary" };
        var root = await h.RpcAsync("kvs.lookup", req, NodeId.Any, ct).ConfigureAwait(false);
        var ops = new JsonArray();
        foreach (var (name, _) in root?["val"]?["data"] as JsonObject ?? [])
        {
            ops.Add((JsonNode)Op(name, null));
        }
        return ops;
    }

    private static JsonObject Op(string key, JsonObject? dirent) => new() { ["key"] = key, ["flags"] = 0, ["dirent"] = dirent };

    private static Task<JsonObject?> CommitAsync(FluxHandle h, string? ns, JsonArray ops, CancellationToken ct) =>
        h.RpcAsync("kvs.commit", new JsonObject { ["namespace"] = ns ?? "primary", ["flags"] = 0, ["ops"] = ops }, NodeId.Any, ct);
}
