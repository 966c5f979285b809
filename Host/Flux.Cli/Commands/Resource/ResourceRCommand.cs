// flux resource R: print the scheduler view of resources as RFC 20 R
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceRCommand : Command
{
    public override string Name => "resource R";

    public override string Summary => "Print the scheduler view of resources as RFC 20 R.";

    public override string Usage => "[-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Include resources in these states (default all)."),
        ResourceOptions.Queue,
        ResourceOptions.Include,
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceOptions.SchedStates(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        Console.WriteLine((await ResourceViews.SchedSelectionAsync(h, args, states, ct).ConfigureAwait(false)).ToString());
        return 0;
    }
}
