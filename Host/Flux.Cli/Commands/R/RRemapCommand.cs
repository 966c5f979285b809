// flux R remap: print the union of the R objects on stdin with ranks renumbered from 0
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RRemapCommand : Command
{
    public override string Name => "R remap";

    public override string Summary => "Print the union of the R objects on stdin with ranks renumbered from 0.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var r = await RSets.ReadUnionAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.FromRanks(r.Nodes.Select((n, i) => n with { Rank = (uint)i }), r).ToString());
        return 0;
    }
}
