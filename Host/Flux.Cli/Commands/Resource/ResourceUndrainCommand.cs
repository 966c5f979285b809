// flux resource undrain: return drained nodes to the scheduler
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceUndrainCommand : Command
{
    public override string Name => "resource undrain";

    public override string Summary => "Return drained nodes to the scheduler.";

    public override string Usage => "[-f] TARGETS [REASON...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Do not fail if some targets are not drained.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var payload = new JsonObject { ["targets"] = args.Positionals[0] };
        if (args.Has("force"))
        {
            payload["mode"] = "force";
        }
        if (args.Positionals.Count > 1)
        {
            payload["reason"] = string.Join(' ', args.Positionals.Skip(1));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await h.RpcAsync("resource.undrain", payload, 0, ct).ConfigureAwait(false);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{Prog}: undrain: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
}
