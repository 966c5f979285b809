// flux jobtap query: print a loaded job-manager plugin's name, path and plugin.query data as JSON
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class JobtapQueryCommand : Command
{
    public override string Name => "jobtap query";

    public override string Summary => "Print a job-manager plugin's name, path (or \"builtin\") and its own query data as JSON.";

    public override string Usage => "NAME";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.jobtap-query", new JsonObject { ["name"] = args.Positionals[0] }, NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine(resp?.ToJsonString());
        return 0;
    }
}
