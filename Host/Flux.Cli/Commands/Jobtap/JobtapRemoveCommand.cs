// flux jobtap remove: remove job-manager plugins by name, glob or all (builtins stay)
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class JobtapRemoveCommand : Command
{
    public override string Name => "jobtap remove";

    public override string Summary => "Remove job-manager plugins by NAME, glob, or all (builtins cannot be removed).";

    public override string Usage => "NAME|all";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = args.Positionals[0] }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
