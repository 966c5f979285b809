// flux module remove: remove (unload) a broker module
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleRemoveCommand : Command
{
    public override string Name => "module remove";

    public override string Summary => "Remove (unload) a broker module.";

    public override string Usage => "[-f] NAME";

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Succeed even if the module is not loaded.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = args.Positionals[0], ["force"] = args.Has("force") }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
