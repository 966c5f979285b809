// flux setattr: set a writable broker attribute (instance owner only)
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class SetattrCommand : Command
{
    public override string Name => "setattr";

    public override string Summary => "Set a writable broker attribute (instance owner only).";

    public override string Usage => "NAME VALUE";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("attr.set", new JsonObject { ["name"] = args.Positionals[0], ["value"] = args.Positionals[1] }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
