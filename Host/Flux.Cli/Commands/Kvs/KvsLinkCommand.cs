// flux kvs link: create LINKNAME as a symbolic link to TARGET
using System.Text.Json.Nodes;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsLinkCommand : Command
{
    public override string Name => "kvs link";

    public override string Summary => "Create LINKNAME as a symbolic link to TARGET.";

    public override string Usage => "[OPTIONS] TARGET LINKNAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("target-namespace", 'T', "NS", "TARGET is in namespace NS."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray(KvsClient.Op(args.Positionals[1], KvsClient.Symlink(args.Positionals[0], args.Get("target-namespace"))));
        await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        return 0;
    }
}
