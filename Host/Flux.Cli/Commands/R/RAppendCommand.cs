// flux R append: print the union of the R objects on stdin; they must not overlap
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RAppendCommand : Command
{
    public override string Name => "R append";

    public override string Summary => "Print the union of the R objects on stdin; they must not overlap.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        var result = Rv1.Empty;
        foreach (var r in sets)
        {
            if (result.Intersect(r).NodeCount > 0)
            {
                throw Invalid($"R objects '{result.ToShortString()}' and '{r.ToShortString()}' overlap");
            }
            result = result.NodeCount == 0 ? r : result.Union(r);
        }
        Console.WriteLine(result.ToString());
        return 0;
    }
}
