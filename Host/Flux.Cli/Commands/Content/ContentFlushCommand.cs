// flux content flush: write every dirty blob of the content cache to the backing store
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

internal sealed class ContentFlushCommand : Command
{
    public override string Name => "content flush";

    public override string Summary => "Write every dirty blob of the content cache to the backing store.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("content.flush", null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
