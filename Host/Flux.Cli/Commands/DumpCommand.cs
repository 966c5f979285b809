// flux dump: write a snapshot of the KVS to a tar archive (FILE '-' is standard output)
using System.Globalization;
using Flux.Cli.Terminal;
using Flux.Client.Kvs;

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
        archive is consistent even while the KVS changes. A FILE ending in .tgz or .tar.gz is
        gzip-compressed (as flux-core's, which picks the format by the extension).

        Example: flux dump kvs.tar && tar tvf kvs.tar
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var ns = KvsClient.Namespace(args);
        var file = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var stream = file == "-" ? Console.OpenStandardOutput() : KvsArchive.CreateFile(file);
        int count;
        await using (stream.ConfigureAwait(false))
        {
            // As flux-core, the running count is shown unless keys are listed (-v) or nothing is (-q).
            var verbose = args.Has("verbose");
            count = !verbose && !args.Has("quiet")
                ? await TerminalProgress.RunAsync("flux-dump: archived 0 keys", total: null, keep: false,
                    p => KvsArchive.DumpAsync(h, stream, ns, (_, n) =>
                    {
                        p.Advance(1, Archived);
                        return ValueTask.CompletedTask;
                    }, ct)).ConfigureAwait(false)
                : await KvsArchive.DumpAsync(h, stream, ns, verbose ? (key, _) => new ValueTask(Console.Error.WriteLineAsync(key)) : null, ct).ConfigureAwait(false);
        }
        if (!args.Has("quiet"))
        {
            await Console.Error.WriteLineAsync($"flux-dump: archived {count} keys").ConfigureAwait(false);
        }
        return 0;
    }

    private static string Archived(double keys) => string.Create(CultureInfo.InvariantCulture, $"flux-dump: archived {keys} keys");
}
