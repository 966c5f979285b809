// flux resource info: show a one-line summary of the scheduler view: N Nodes, C Cores, G GPUs
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceInfoCommand : Command
{
    public override string Name => "resource info";

    public override string Summary => "Show a one-line summary of the scheduler view: N Nodes, C Cores, G GPUs.";

    public override string Usage => "[-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Count resources in these states (default all)."),
        ResourceOptions.Queue,
        ResourceOptions.Include,
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceOptions.SchedStates(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var set = await ResourceViews.SchedSelectionAsync(h, args, states, ct).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{set.NodeCount} Nodes, {set.CoreCount} Cores, {set.GpuCount} GPUs"));
        return 0;
    }
}
