// flux content dropcache: drop the clean (already stored) blobs from the content cache
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

internal sealed class ContentDropcacheCommand : Command
{
    public override string Name => "content dropcache";

    public override string Summary => "Drop the clean (already stored) blobs from the content cache.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("content.dropcache", null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
