// flux R intersect: print the resources common to every R on stdin
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RIntersectCommand : Command
{
    public override string Name => "R intersect";

    public override string Summary => "Print the resources common to every R on stdin.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.Transform(sets, "intersect", 2, (a, b) => a.Intersect(b)).ToString());
        return 0;
    }
}
