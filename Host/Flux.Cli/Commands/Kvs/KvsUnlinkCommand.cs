// flux kvs unlink: remove each KEY
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsUnlinkCommand : Command
{
    public override string Name => "kvs unlink";

    public override string Summary => "Remove each KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "Remove a directory and everything under it."),
        new("force", 'f', null, "Ignore keys that do not exist."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray();
        foreach (var key in args.Positionals)
        {
            var entry = await KvsClient.TryLookupAsync(h, key, KvsClient.TreeObjFlag, ns, ct).ConfigureAwait(false);
            if (entry is null)
            {
                if (args.Has("force"))
                {
                    continue;
                }
                throw new FluxException(Errno.ENOENT, $"cannot unlink '{key}': No such file or directory");
            }
            if (KvsClient.IsDir(entry) && !args.Has("recursive"))
            {
                throw new FluxException(Errno.EISDIR, $"cannot unlink '{key}': Is a directory (use -R)");
            }
            ops.Add((JsonNode)KvsClient.Op(key, null));
        }
        if (ops.Count > 0)
        {
            await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        }
        return 0;
    }
}
