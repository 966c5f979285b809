// flux shutdown: shut down the instance (it stops its modules and exits)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

internal sealed class ShutdownCommand : Command
{
    public override string Name => "shutdown";

    public override string Summary => "Shut down the instance (it stops its modules and exits).";

    public override string Usage => "[OPTIONS] [TARGET]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("message", 'm', "TEXT", "Reason logged for the shutdown."),
        CommonOptions.Quiet,
        new("gc", null, null, "Remove KVS content unreachable from the final checkpoint as the instance stops."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        var uri = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        await using var h = await FluxConnect.OpenAsync(uri, ct).ConfigureAwait(false);
        if (args.Has("gc"))
        {
            await h.RpcAsync("kvs.gc-on-shutdown", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            if (!args.Has("quiet"))
            {
                Console.Error.WriteLine("flux-shutdown: unreachable KVS content will be removed after the final checkpoint");
            }
        }
        var req = new JsonObject { ["reason"] = args.Get("message") ?? "flux shutdown" };
        await h.RpcAsync("shutdown.start", req, NodeId.Any, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            Console.Error.WriteLine("flux-shutdown: shutdown requested");
        }
        return 0;
    }
}
