// flux resource status: show the system view of resources: available, excluded, draining, drained, offline nodes
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceStatusCommand : Command
{
    public override string Name => "resource status";

    public override string Summary => "Show the system view of resources: available, excluded, draining, drained, offline nodes.";

    public override string Usage => "[-n] [-o FORMAT] [-s STATES] [-q QUEUE] [-i TARGETS] [--skip-empty]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "States to show: " + string.Join(",", ResourceStatusLine.ValidStates) + " (help lists them)."),
        new("format", 'o', "FORMAT", "Output format: a name (default, long) or a format string with fields {state} {statex} {status} {up} {up.ascii} {nnodes} {ranks} {nodelist} {timestamp} {reason}."),
        ResourceOptions.NoHeader,
        ResourceOptions.Queue,
        ResourceOptions.Include,
        new("skip-empty", null, null, "Skip empty lines even with --states."),
        new("color", 'L', "WHEN", "Color the UP column: never, always or auto (default)."),
    ];

    public override string Details => """
        This build runs one broker, so every node of R is online. draining means drained but still
        allocated to a job; drained means drained and idle. Examples:
          flux resource status
          flux resource status -s all -no {nodelist}
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        if (args.Get("states") == "help")
        {
            await Console.Error.WriteLineAsync("flux-resource: valid states: " + string.Join(",", ResourceStatusLine.ValidStates)).ConfigureAwait(false);
            return 0;
        }
        var fmt = ResourceOptions.FormatString(args.Get("format"), "FLUX_RESOURCE_STATUS_FORMAT_DEFAULT", new Dictionary<string, string>
        {
            ["default"] = "{state:>12} {color_up}{up:>2}{color_off} {nnodes:>6} {nodelist}",
            ["long"] = "{state:>12} {color_up}{up:>2}{color_off} {nnodes:>6} +:{reason:<30.30} {nodelist}",
        });
        await ResourceStatusLine.RunAsync(args, fmt, args.Get("states"), args.Has("skip-empty") || args.Get("states") is null, ct).ConfigureAwait(false);
        return 0;
    }
}
