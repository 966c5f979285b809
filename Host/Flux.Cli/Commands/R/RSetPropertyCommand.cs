// flux R set-property: add properties to the R on stdin and print it
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RSetPropertyCommand : Command
{
    public override string Name => "R set-property";

    public override string Summary => "Add properties to the R on stdin and print it.";

    public override string Usage => "NAME[:RANKS] [NAME[:RANKS]...]";

    public override string Details => "Without :RANKS the property goes to every rank.\n\nExample:\n  flux R encode -r 0-3 | flux R set-property gpu:2-3 login:0";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var r = await RSets.ReadUnionAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.AssignProperties(r, args.Positionals).ToString());
        return 0;
    }
}
