// A flux content subcommand that is one empty request to the content cache (flush, dropcache).
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal abstract class ContentRequestCommand(string topic) : Command
{
    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync(topic, null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
