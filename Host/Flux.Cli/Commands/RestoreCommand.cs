// flux restore: put every key of a tar archive written by 'flux dump' into the KVS (FILE '-' is standard input)
using System.Globalization;
using Flux.Cli.Terminal;
using Flux.Client.Handle;
using Flux.Client.Kvs;

namespace Flux.Cli.Commands;

internal sealed class RestoreCommand : Command
{
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
        int count;
        await using (stream.ConfigureAwait(false))
        {
            // As flux-core, progress is shown unless keys are listed (-v) or nothing is (-q); the bar
            // follows the bytes read when the archive's size is known.
            var verbose = args.Has("verbose");
            count = !verbose && !args.Has("quiet")
                ? await TerminalProgress.RunAsync("flux-restore: restored 0 keys", stream.CanSeek ? stream.Length : null, keep: false,
                    p => RestoreAsync(h, stream, ns, verbose, p, ct)).ConfigureAwait(false)
                : await RestoreAsync(h, stream, ns, verbose, ProgressLine.None, ct).ConfigureAwait(false);
        }
        if (!args.Has("quiet"))
        {
            await Console.Error.WriteLineAsync($"flux-restore: restored {count} keys").ConfigureAwait(false);
        }
        return 0;
    }

    private static Task<int> RestoreAsync(FluxHandle h, Stream stream, string? ns, bool verbose, ProgressLine progress, CancellationToken ct) =>
        KvsArchive.RestoreAsync(h, stream, ns, replace: false, async (key, count) =>
        {
            if (verbose)
            {
                await Console.Error.WriteLineAsync(key).ConfigureAwait(false);
            }
            if (progress.Shown)
            {
                progress.Describe(string.Create(CultureInfo.InvariantCulture, $"flux-restore: restored {count} keys"));
                if (stream.CanSeek)
                {
                    progress.Set(stream.Position);
                }
            }
        }, ct);
}
