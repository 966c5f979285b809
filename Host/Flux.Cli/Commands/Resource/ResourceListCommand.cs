// flux resource list: show the scheduler view of resources: free, allocated and down nodes, cores and GPUs
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceListCommand : Command
{
        public override string Name => "resource list";

    public override string Summary => "Show the scheduler view of resources: free, allocated and down nodes, cores and GPUs.";

    public override string Usage => "[-n] [-o FORMAT] [-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Output resources in given states (up, down, allocated, free, all); default free,allocated,down."),
        new("format", 'o', "FORMAT", "Output format: a name (default, rlist) or a format string with fields {state} {queue} {properties} {propertiesx} {nnodes} {ncores} {ngpus} {ranks} {nodelist} {rlist}."),
        ResourceOptions.NoHeader,
        ResourceOptions.Queue,
        ResourceOptions.Include,
        new("skip-empty", null, null, "Skip empty lines (the default with --include)."),
        new("no-skip-empty", null, null, "Do not skip empty lines, even with --include."),
    ];

    public override string Details => """
        Lines are merged when every field other than the counts, ranks and node names is the same.
        A queue's name is left out of the PROPERTIES column of that queue's lines. Examples:
          flux resource list
          flux resource list -o rlist
          flux resource list -s all -no {nnodes}
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceOptions.States(args.Get("states") ?? "free,allocated,down", ResourceOptions.SchedViewStates);
        var fmt = ResourceOptions.FormatString(args.Get("format"), "FLUX_RESOURCE_LIST_FORMAT_DEFAULT", new Dictionary<string, string>
        {
            ["default"] = "{state:>10} ?+:{queue:<5} ?:{propertiesx:<10.10+} {nnodes:>6} +:{ncores:>6} ?+:{ngpus:>5} {nodelist}",
            ["rlist"] = "{state:>10} ?+:{queue:<5} ?:{propertiesx:<10.10+} {nnodes:>6} +:{ncores:>6} ?+:{ngpus:>5} {rlist}",
        });
        var formatter = new ResourceOutputFormat(fmt, ResourceListRow.Headings);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var (view, queues) = await ResourceViews.SchedViewAsync(h, args, ct).ConfigureAwait(false);
        var rows = ResourceListRow.Lines(view, states, formatter, queues, ResourceOptions.Queues(args));
        if (args.Has("skip-empty") || (args.Has("include") && !args.Has("no-skip-empty")))
        {
            rows = [.. rows.Where(r => r.Set.NodeCount > 0)];
        }
        formatter.Print(rows, (r, f) => r.Get(f), args.Has("no-header"), Console.Out);
        return 0;
    }
}
