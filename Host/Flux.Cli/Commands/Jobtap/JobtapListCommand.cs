// flux jobtap list: list loaded job-manager plugins in load order (-a: builtins too)
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class JobtapListCommand : Command
{
    public override string Name => "jobtap list";

    public override string Summary => "List loaded job-manager plugins in load order.";

    public override IReadOnlyList<OptionSpec> Options => [new("all", 'a', null, "Also list builtin plugins (names with a leading dot).")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.jobtap", new JsonObject { ["query_only"] = true }, NodeId.Any, ct).ConfigureAwait(false);
        foreach (var name in (resp?["plugins"] as JsonArray ?? []).Select(p => p!.GetValue<string>()))
        {
            if (args.Has("all") || !name.StartsWith('.'))
            {
                Console.WriteLine(name);
            }
        }
        return 0;
    }
}
