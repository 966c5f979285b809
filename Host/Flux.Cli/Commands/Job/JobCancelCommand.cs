// flux job cancel: cancel one job (same as flux cancel ID)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobCancelCommand : Command
{
    public override string Name => "job cancel";

    public override string Summary => "Cancel one job (same as flux cancel ID).";

    public override string Usage => "ID [MESSAGE...]";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var id = JobIdArg.Parse(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0, ["note"] = string.Join(' ', args.Positionals.Skip(1)) }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
