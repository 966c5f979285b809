// flux dump archives: writing the KVS to a tar archive and restoring one into it; the one implementation
// behind flux dump, flux restore, flux start -Scontent.dump and -Scontent.restore.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Client.Kvs;

/// <summary>
/// The <c>flux dump</c> archive (flux-core's src/cmd/builtin/dump.c and restore.c): a tar archive where
/// each regular file is a value named by its path ('/' for '.'), a symbolic link is a KVS symlink
/// (<c>NS::TARGET</c> names another namespace), an empty directory is an empty directory. As
/// flux-core's libarchive writer picks the compression by the file's extension, a name ending in
/// <c>.tgz</c> or <c>.tar.gz</c> is gzip-compressed; the reader recognizes gzip by its magic bytes.
/// Restored keys are committed in batches of <see cref="OpsPerCommit"/>.
/// </summary>
public static class KvsArchive
{
    /// <summary>How many keys one commit carries.</summary>
    public const int OpsPerCommit = 1000;

    // Extensions flux-core's writer turns into a compression this one does not write: refused rather
    // than written as plain tar under a name that says otherwise.
    private static readonly string[] UnwritableExtensions =
        [".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.lzma", ".tar.zst", ".tzst", ".tar.lz4", ".tar.Z", ".zip", ".7z", ".cpio", ".iso", ".jar", ".a", ".ar"];

    /// <summary>Whether an archive of this file name is gzip-compressed (<c>.tgz</c>, <c>.tar.gz</c>).</summary>
    public static bool IsGzipName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".tgz", StringComparison.Ordinal) || path.EndsWith(".tar.gz", StringComparison.Ordinal);
    }

    /// <summary>
    /// Refuses (EINVAL) an archive name whose extension asks for a compression this writer does not
    /// write (<c>.tar.bz2</c>, <c>.zip</c>, ...) rather than writing plain tar under a name that says otherwise.
    /// </summary>
    public static void CheckFileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (UnwritableExtensions.FirstOrDefault(e => path.EndsWith(e, StringComparison.Ordinal)) is { } ext)
        {
            throw new FluxException(Errno.EINVAL, $"{path}: cannot write a {ext} archive (accepted: .tgz or .tar.gz for a gzip-compressed tar, any other name for a tar archive)");
        }
    }

    /// <summary>
    /// Creates (or truncates) the archive file <paramref name="path"/> and returns the stream to write
    /// the tar into: gzip-compressing when <paramref name="compress"/> says so or, when it is null,
    /// for a <c>.tgz</c>/<c>.tar.gz</c> name. A name <see cref="CheckFileName"/> refuses is EINVAL.
    /// </summary>
    public static Stream CreateFile(string path, bool? compress = null)
    {
        CheckFileName(path);
        var file = File.Create(path);
        return compress ?? IsGzipName(path) ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: false) : file;
    }

    /// <summary>
    /// Writes the KVS namespace <paramref name="ns"/> (null: primary) as it is at one root (a snapshot
    /// from <c>kvs.getroot</c>, so the archive is consistent while the KVS changes) to
    /// <paramref name="output"/> as a pax tar, keys in name order, and returns the number of keys
    /// written (values and symlinks). <paramref name="dumped"/> is told of each key and the count so far.
    /// </summary>
    public static async Task<int> DumpAsync(FluxHandle h, Stream output, string? ns, Func<string, int, ValueTask>? dumped, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(output);
        var root = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = ns ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false);
        var rootref = root?["rootref"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "kvs.getroot: no rootref in response");
        var at = new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(rootref) };
        var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (tar.ConfigureAwait(false))
        {
            var count = 0;
            await DumpDirAsync(new DumpState(h, tar, ns, at, dumped, DateTimeOffset.UtcNow), ".", () => ++count, ct).ConfigureAwait(false);
            return count;
        }
    }

    private sealed record DumpState(FluxHandle H, TarWriter Tar, string? Ns, JsonObject At, Func<string, int, ValueTask>? Dumped, DateTimeOffset Time);

    private static async Task DumpDirAsync(DumpState s, string key, Func<int> next, CancellationToken ct)
    {
        var dir = await LookupAsync(s, key, (int)KvsFlags.ReadDir, ct).ConfigureAwait(false);
        var entries = (dir["data"] as JsonObject ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var prefix = key == "." ? string.Empty : key + ".";
        if (entries.Count == 0 && key != ".")
        {
            await s.Tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, PathOf(key)) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = s.Time }, ct).ConfigureAwait(false);
        }
        foreach (var (name, entry) in entries)
        {
            var full = prefix + name;
            var type = TreeObject.TypeOf(entry);
            if (type is "dir" or "dirref")
            {
                await DumpDirAsync(s, full, next, ct).ConfigureAwait(false);
                continue;
            }
            if (type == "symlink")
            {
                var target = entry!["data"]!["target"]!.GetValue<string>();
                var tns = entry["data"]!["namespace"]?.GetValue<string>();
                await s.Tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, PathOf(full))
                {
                    LinkName = tns is null ? target : $"{tns}::{target}",
                    Mode = (UnixFileMode)0b110_100_100,
                    ModificationTime = s.Time,
                }, ct).ConfigureAwait(false);
            }
            else
            {
                var val = type == "val" ? entry! : await LookupAsync(s, full, 0, ct).ConfigureAwait(false);
                var data = TreeObject.ValBytes(val);
                await s.Tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, PathOf(full))
                {
                    DataStream = new MemoryStream(data),
                    Mode = (UnixFileMode)0b110_100_100,
                    ModificationTime = s.Time,
                }, ct).ConfigureAwait(false);
            }
            var count = next();
            if (s.Dumped is not null)
            {
                await s.Dumped(full, count).ConfigureAwait(false);
            }
        }
    }

    private static async Task<JsonObject> LookupAsync(DumpState s, string key, int flags, CancellationToken ct)
    {
        var req = new JsonObject { ["key"] = key, ["flags"] = flags, ["namespace"] = s.Ns ?? "primary", ["rootdir"] = s.At.DeepClone() };
        var resp = await s.H.RpcAsync("kvs.lookup", req, NodeId.Any, ct).ConfigureAwait(false);
        return resp?["val"] as JsonObject ?? throw new FluxException(Errno.EPROTO, $"kvs.lookup {key}: no val in response");
    }

    private static string PathOf(string key) => key.Replace('.', '/');

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
        tar = await DecompressAsync(tar, ct).ConfigureAwait(false);
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

    // The archive as tar: gzip is recognized by its magic bytes (flux-core's reader takes any
    // compression libarchive knows; the others are named in the error).
    private static async Task<Stream> DecompressAsync(Stream input, CancellationToken ct)
    {
        var head = new byte[6];
        var n = 0;
        while (n < head.Length && await input.ReadAsync(head.AsMemory(n), ct).ConfigureAwait(false) is var r and > 0)
        {
            n += r;
        }
        var other = n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' ? "bzip2"
            : n >= 6 && head[0] == 0xfd && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X' && head[4] == (byte)'Z' && head[5] == 0 ? "xz"
            : n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? "zstd"
            : null;
        if (other is not null)
        {
            throw new InvalidDataException($"{other}-compressed archives are not read (accepted: a tar archive, plain or gzip-compressed)");
        }
        Stream prefixed = new PrefixedStream(head.AsMemory(0, n), input);
        return n >= 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: true) : prefixed;
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

/// <summary>A read-only stream of some bytes already read, then the rest of the stream they came from.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return rest.Read(buffer);
        }
        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.IsEmpty)
        {
            return rest.ReadAsync(buffer, cancellationToken);
        }
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
