// kvs.lookup: walks the RFC 11 tree from a namespace root (or a given root) to a key.
using System.Buffers;
using System.Text.Json;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.Kvs;

public sealed partial class KvsModule
{
    private const int MaxSymlinkDepth = 10;

    private async ValueTask Lookup(Message msg)
    {
        string? key;
        string? nsName;
        KvsFlags flags;
        TreeObj? rootdir = null;
        string? rootrefArg = null;
        using (var doc = JsonDocument.Parse(msg.PayloadWithoutNul))
        {
            var o = doc.RootElement;
            key = o.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            nsName = o.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            flags = o.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Number ? (KvsFlags)f.GetInt32() : KvsFlags.None;
            if (o.TryGetProperty("rootdir", out var rd) && rd.ValueKind == JsonValueKind.Object)
            {
                rootdir = TreeObj.FromJson(rd);
            }
            if (o.TryGetProperty("rootref", out var rr) && rr.ValueKind == JsonValueKind.String)
            {
                rootrefArg = rr.GetString();
            }
        }
        var path = KvsKey.Split(key);
        var ns = Namespace(nsName, msg);
        var rootref = ns.RootRef;
        var seq = ns.Seq;
        TreeObj start;
        if (rootdir is not null || rootrefArg is not null)
        {
            if (rootdir is not null && rootdir.Type != TreeType.DirRef)
            {
                throw new FluxException(Errno.EINVAL, "rootdir must be a dirref");
            }
            rootref = rootdir?.Refs[0] ?? rootrefArg!;
            start = await _cache.LoadDirAsync(rootref);
        }
        else
        {
            start = ns.RootDir;
        }
        var entry = path.Length == 0 ? TreeObj.DirRef(rootref) : await WalkAsync(ns, start, path, flags, 0, msg);
        var val = await ResultAsync(entry, flags, KvsKey.Join(path));
        var buf = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("namespace"u8, ns.Name);
            w.WriteString("key"u8, KvsKey.Join(path));
            w.WriteString("rootref"u8, rootref);
            w.WriteNumber("rootseq"u8, seq);
            w.WritePropertyName("val"u8);
            val.WriteTo(w);
            w.WriteEndObject();
        }
        buf.Write([(byte)0]);
        flux.RespondRaw(msg, buf.WrittenSpan.ToArray());
    }

    /// <summary>Follows a path; symlinks in the middle (and at the end, unless asked not to) are followed.</summary>
    private async ValueTask<TreeObj> WalkAsync(KvsNamespace ns, TreeObj root, string[] path, KvsFlags flags, int depth, Message msg)
    {
        var dir = root;
        for (var i = 0; i < path.Length; i++)
        {
            if (!dir.Entries.TryGetValue(path[i], out var entry))
            {
                throw new FluxException(Errno.ENOENT, $"{KvsKey.Join(path)}: No such file or directory");
            }
            var isLast = i == path.Length - 1;
            if (entry.Type == TreeType.Symlink && (!isLast || (flags & (KvsFlags.ReadLink | KvsFlags.TreeObj)) == 0))
            {
                if (depth >= MaxSymlinkDepth)
                {
                    throw new FluxException(Errno.ELOOP, $"{KvsKey.Join(path)}: too many levels of symbolic links");
                }
                var target = KvsKey.Split(entry.Target);
                var rest = path.AsSpan(i + 1).ToArray();
                var targetNs = ns;
                var targetRoot = root;
                if (entry.Namespace is { } other && other != ns.Name)
                {
                    targetNs = Namespace(other, msg);
                    targetRoot = targetNs.RootDir;
                }
                string[] full = [.. target, .. rest];
                return full.Length == 0 ? TreeObj.DirRef(targetNs.RootRef) : await WalkAsync(targetNs, targetRoot, full, flags, depth + 1, msg);
            }
            if (isLast)
            {
                return entry;
            }
            dir = entry.Type switch
            {
                TreeType.Dir => entry,
                TreeType.DirRef => await _cache.LoadDirAsync(entry.Refs[0]),
                _ => throw new FluxException(Errno.ENOTDIR, $"{KvsKey.Join(path[..(i + 1)])}: Not a directory"),
            };
        }
        return TreeObj.EmptyDir;
    }

    /// <summary>What a lookup answers for an entry, given the READDIR, READLINK and TREEOBJ flags.</summary>
    private async ValueTask<TreeObj> ResultAsync(TreeObj entry, KvsFlags flags, string key)
    {
        if ((flags & KvsFlags.TreeObj) != 0)
        {
            return entry;
        }
        if ((flags & KvsFlags.ReadLink) != 0)
        {
            return entry.Type == TreeType.Symlink ? entry : throw new FluxException(Errno.EINVAL, $"{key}: not a symlink");
        }
        if ((flags & KvsFlags.ReadDir) != 0)
        {
            return entry.Type switch
            {
                TreeType.Dir => entry,
                TreeType.DirRef => await _cache.LoadDirAsync(entry.Refs[0]),
                _ => throw new FluxException(Errno.ENOTDIR, $"{key}: Not a directory"),
            };
        }
        return entry.Type switch
        {
            TreeType.Val => entry,
            TreeType.ValRef => TreeObj.Val(await _cache.LoadValueAsync(entry)),
            TreeType.Symlink => entry,
            _ => throw new FluxException(Errno.EISDIR, $"{key}: Is a directory"),
        };
    }
}
