// flux getattr: print the value of a broker attribute
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class GetattrCommand : Command
{
    public override string Name => "getattr";

    public override string Summary => "Print the value of a broker attribute.";

    public override string Usage => "NAME";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var name = args.Positionals[0];
        var resp = await h.RpcAsync("attr.get", new JsonObject { ["name"] = name }, NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine(resp?["value"]?.GetValue<string>());
        return 0;
    }
}
