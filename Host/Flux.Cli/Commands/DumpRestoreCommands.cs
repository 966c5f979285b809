// flux dump|restore: the KVS written to and read from a tar archive (one file per key, as flux-core does).
using System.Formats.Tar;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class DumpCommand : Command
{
    public override string Name => "dump";

    public override string Summary => "Write a snapshot of the KVS to a tar archive (FILE '-' is standard output).";

    public override string Usage => "[OPTIONS] FILE";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("quiet", 'q', null, "Do not print the number of keys dumped."),
        new("verbose", 'v', null, "Print each key as it is dumped."),
    ];

    public override string Details => """
        Each key is a file named by its path with '/' for '.', holding the value; a symlink is a
        symbolic link; an empty directory is a directory. The snapshot is of one root, so the
        archive is consistent even while the KVS changes.

        Example: flux dump kvs.tar && tar tvf kvs.tar
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var root = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = ns ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        var at = KvsClient.At(root["rootref"]!.GetValue<string>());
        var file = args.Positionals[0];
        var stream = file == "-" ? Console.OpenStandardOutput() : File.Create(file);
        var count = 0;
        await using (stream.ConfigureAwait(false))
        {
            var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                count = await DumpDirAsync(h, tar, ".", ns, at, args.Has("verbose"), ct).ConfigureAwait(false);
            }
        }
        if (!args.Has("quiet"))
        {
            await Console.Error.WriteLineAsync($"flux-dump: archived {count} keys").ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> DumpDirAsync(FluxHandle h, TarWriter tar, string key, string? ns, JsonObject? at, bool verbose, CancellationToken ct)
    {
        var dir = await KvsClient.LookupAsync(h, key, KvsClient.ReadDir, ns, at, ct).ConfigureAwait(false);
        var entries = (dir["data"] as JsonObject ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var prefix = key == "." ? string.Empty : key + ".";
        var count = 0;
        if (entries.Count == 0 && key != ".")
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, Path(key)) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UtcNow }, ct).ConfigureAwait(false);
        }
        foreach (var (name, entry) in entries)
        {
            var full = prefix + name;
            if (KvsClient.IsDir(entry))
            {
                count += await DumpDirAsync(h, tar, full, ns, at, verbose, ct).ConfigureAwait(false);
                continue;
            }
            if (verbose)
            {
                await Console.Error.WriteLineAsync(full).ConfigureAwait(false);
            }
            if (KvsClient.TypeOf(entry) == "symlink")
            {
                var target = entry!["data"]!["target"]!.GetValue<string>();
                var tns = entry["data"]!["namespace"]?.GetValue<string>();
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, Path(full))
                {
                    LinkName = tns is null ? target : $"{tns}::{target}",
                    ModificationTime = DateTimeOffset.UtcNow,
                }, ct).ConfigureAwait(false);
                count++;
                continue;
            }
            var val = KvsClient.TypeOf(entry) == "val" ? entry! : await KvsClient.LookupAsync(h, full, 0, ns, at, ct).ConfigureAwait(false);
            var data = KvsClient.Bytes(val);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, Path(full))
            {
                DataStream = new MemoryStream(data),
                Mode = (UnixFileMode)0b110_100_100,
                ModificationTime = DateTimeOffset.UtcNow,
            }, ct).ConfigureAwait(false);
            count++;
        }
        return count;
    }

    private static string Path(string key) => key.Replace('.', '/');
}

internal sealed class RestoreCommand : Command
{
    private const int OpsPerCommit = 1000;

    public override string Name => "restore";

    public override string Summary => "Put every key of a tar archive written by 'flux dump' into the KVS (FILE '-' is standard input).";

    public override string Usage => "[OPTIONS] FILE";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("quiet", 'q', null, "Do not print the number of keys restored."),
        new("verbose", 'v', null, "Print each key as it is restored."),
    ];

    public override string Details => """
        Keys are committed in batches of 1,000; existing keys of the same names are replaced.

        Example: flux restore kvs.tar
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var ns = KvsClient.Namespace(args);
        var file = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var stream = file == "-" ? Console.OpenStandardInput() : File.OpenRead(file);
        var count = 0;
        var ops = new JsonArray();
        await using (stream.ConfigureAwait(false))
        {
            var tar = new TarReader(stream);
            await using (tar.ConfigureAwait(false))
            {
                while (await tar.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    var key = entry.Name.Trim('/').Replace('/', '.');
                    if (key.Length == 0)
                    {
                        continue;
                    }
                    JsonObject dirent;
                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            dirent = KvsClient.EmptyDir();
                            break;
                        case TarEntryType.SymbolicLink:
                            var sep = entry.LinkName.IndexOf("::", StringComparison.Ordinal);
                            dirent = sep < 0 ? KvsClient.Symlink(entry.LinkName, null) : KvsClient.Symlink(entry.LinkName[(sep + 2)..], entry.LinkName[..sep]);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                            using (var ms = new MemoryStream())
                            {
                                if (entry.DataStream is { } ds)
                                {
                                    await ds.CopyToAsync(ms, ct).ConfigureAwait(false);
                                }
                                dirent = KvsClient.Val(ms.ToArray());
                            }
                            break;
                        default:
                            continue;
                    }
                    if (args.Has("verbose"))
                    {
                        await Console.Error.WriteLineAsync(key).ConfigureAwait(false);
                    }
                    ops.Add(KvsClient.Op(key, dirent));
                    count += entry.EntryType == TarEntryType.Directory ? 0 : 1;
                    if (ops.Count >= OpsPerCommit)
                    {
                        await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
                        ops = [];
                    }
                }
            }
        }
        if (ops.Count > 0)
        {
            await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        }
        if (!args.Has("quiet"))
        {
            await Console.Error.WriteLineAsync($"flux-restore: restored {count} keys").ConfigureAwait(false);
        }
        return 0;
    }
}
