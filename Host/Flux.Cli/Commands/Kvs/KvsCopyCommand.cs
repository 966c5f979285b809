// flux kvs copy: copy SRC to DST (a directory is copied whole, in constant time)
using System.Text.Json.Nodes;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsCopyCommand : Command
{
    public override string Name => "kvs copy";

    public override string Summary => "Copy SRC to DST (a directory is copied whole, in constant time).";

    public override string Usage => "[OPTIONS] SRC DST";

    /// <summary>The options of copy and move.</summary>
    public static readonly IReadOnlyList<OptionSpec> NamespaceOptions =
    [
        new("src-namespace", 'S', "NS", "SRC is in namespace NS."),
        new("dst-namespace", 'D', "NS", "DST is in namespace NS."),
    ];

    public override IReadOnlyList<OptionSpec> Options => NamespaceOptions;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await CopyAsync(h, args, unlinkSource: false, ct).ConfigureAwait(false);
        return 0;
    }

    public static async Task CopyAsync(FluxHandle h, ParsedArgs args, bool unlinkSource, CancellationToken ct)
    {
        var (src, dst) = (args.Positionals[0], args.Positionals[1]);
        var sns = args.Get("src-namespace") ?? KvsClient.Namespace(args);
        var dns = args.Get("dst-namespace") ?? KvsClient.Namespace(args);
        var entry = await KvsClient.LookupAsync(h, src, KvsClient.TreeObjFlag, sns, null, ct).ConfigureAwait(false);
        if ((sns ?? "primary") == (dns ?? "primary"))
        {
            var ops = new JsonArray(KvsClient.Op(dst, entry));
            if (unlinkSource)
            {
                ops.Add((JsonNode)KvsClient.Op(src, null));
            }
            await KvsClient.CommitAsync(h, dns, ops, 0, ct).ConfigureAwait(false);
            return;
        }
        await KvsClient.CommitAsync(h, dns, [(JsonNode)KvsClient.Op(dst, entry)], 0, ct).ConfigureAwait(false);
        if (unlinkSource)
        {
            await KvsClient.CommitAsync(h, sns, [(JsonNode)KvsClient.Op(src, null)], 0, ct).ConfigureAwait(false);
        }
    }
}
