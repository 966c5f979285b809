// flux kvs move: move SRC to DST (copy, then unlink SRC; atomic within one namespace)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsMoveCommand : Command
{
    public override string Name => "kvs move";

    public override string Summary => "Move SRC to DST (copy, then unlink SRC; atomic within one namespace).";

    public override string Usage => "[OPTIONS] SRC DST";

    public override IReadOnlyList<OptionSpec> Options => KvsCopyCommand.NamespaceOptions;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await KvsCopyCommand.CopyAsync(h, args, unlinkSource: true, ct).ConfigureAwait(false);
        return 0;
    }
}
