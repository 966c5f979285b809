// flux R diff: print the first R on stdin minus the others: (R1 - R2) - R3 ...
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RDiffCommand : Command
{
    public override string Name => "R diff";

    public override string Summary => "Print the first R on stdin minus the others: (R1 - R2) - R3 ...";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.Transform(sets, "diff", 2, (a, b) => a.Subtract(b)).ToString());
        return 0;
    }
}
