// flux kvs namespace remove: remove each namespace NS and everything in it
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsNamespaceRemoveCommand : Command
{
    public override string Name => "kvs namespace remove";

    public override string Summary => "Remove each namespace NS and everything in it.";

    public override string Usage => "NS [NS...]";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        foreach (var ns in args.Positionals)
        {
            await h.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = ns }, NodeId.Any, ct).ConfigureAwait(false);
        }
        return 0;
    }
}
