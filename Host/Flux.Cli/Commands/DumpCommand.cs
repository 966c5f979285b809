// flux dump: write a snapshot of the KVS to a tar archive (FILE '-' is standard output)
using System.Formats.Tar;
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Terminal;
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
                // As flux-core, the running count is shown unless keys are listed (-v) or nothing is (-q).
                var verbose = args.Has("verbose");
                var showProgress = !verbose && !args.Has("quiet");
                count = showProgress
                    ? await TerminalProgress.RunAsync("flux-dump: archived 0 keys", total: null, keep: false,
                        p => DumpDirAsync(h, tar, ".", ns, at, verbose, p, ct)).ConfigureAwait(false)
                    : await DumpDirAsync(h, tar, ".", ns, at, verbose, ProgressLine.None, ct).ConfigureAwait(false);
            }
        }
        if (!args.Has("quiet"))
        {
            await Console.Error.WriteLineAsync($"flux-dump: archived {count} keys").ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> DumpDirAsync(FluxHandle h, TarWriter tar, string key, string? ns, JsonObject? at, bool verbose, ProgressLine progress, CancellationToken ct)
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
                count += await DumpDirAsync(h, tar, full, ns, at, verbose, progress, ct).ConfigureAwait(false);
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
                progress.Advance(1, Archived);
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
            progress.Advance(1, Archived);
        }
        return count;
    }

    private static string Archived(double keys) => string.Create(CultureInfo.InvariantCulture, $"flux-dump: archived {keys} keys");

    private static string Path(string key) => key.Replace('.', '/');
}
