// flux resource drain: drain nodes (take them away from the scheduler), or list drained nodes
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceDrainCommand : Command
{
    public override string Name => "resource drain";

    public override string Summary => "Drain nodes (take them away from the scheduler), or list drained nodes.";

    public override string Usage => "[-f] [-u] [TARGETS [REASON...]]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("force", 'f', null, "Overwrite the reason of nodes already drained; twice: also their timestamp.", Repeatable: true),
        new("update", 'u', null, "Do not fail for nodes already drained and keep their reason and timestamp."),
        new("format", 'o', "FORMAT", "Listing format: a name (default, long) or a format string (see flux resource status)."),
        new("no-header", 'n', null, "Suppress header output when listing."),
        new("queue", 'q', "QUEUE,...", "List only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "List only these ranks (idset) or hosts (hostlist)."),
        new("color", 'L', "WHEN", "Color output: never, always or auto (default)."),
    ];

    public override string Details => """
        TARGETS is an idset of ranks ("0-1"), a hostlist of node names ("node[1-2]") or "all". Drained
        nodes keep running their jobs but get no new ones; drain state survives a restart when the
        kvs module is loaded. Examples:
          flux resource drain 1 bad memory
          flux resource drain
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        if (args.Positionals.Count == 0)
        {
            var fmt = ResourceOptions.FormatString(args.Get("format"), "FLUX_RESOURCE_DRAIN_FORMAT_DEFAULT", new Dictionary<string, string>
            {
                ["default"] = "{timestamp!d:%b%d %R::<12} {state:<8.8} {reason:<30.30+} {nodelist}",
                ["long"] = "{timestamp!d:%b%d %R::<12} {state:<8.8} {ranks:<8.8+} +:{reason:<30.30} {nodelist}",
            });
            await ResourceStatusLine.RunAsync(args, fmt, "drain", skipEmpty: true, ct).ConfigureAwait(false);
            return 0;
        }
        var force = args.GetAll("force").Count;
        if (force > 0 && args.Has("update"))
        {
            throw Invalid("Only one of --force and --update may be specified");
        }
        var payload = new JsonObject { ["targets"] = args.Positionals[0] };
        if (args.Has("update"))
        {
            payload["mode"] = "update";
        }
        else if (force > 0)
        {
            payload["mode"] = force == 1 ? "overwrite" : "force-overwrite";
        }
        if (args.Positionals.Count > 1)
        {
            payload["reason"] = string.Join(' ', args.Positionals.Skip(1));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await h.RpcAsync("resource.drain", payload, 0, ct).ConfigureAwait(false);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{Prog}: drain: {ex.Message}").ConfigureAwait(false);
            if (ex.Errnum == Errno.EEXIST)
            {
                await Console.Error.WriteLineAsync($"{Prog}: Use --force to overwrite existing drain reason").ConfigureAwait(false);
            }
            return 1;
        }
        return 0;
    }
}
