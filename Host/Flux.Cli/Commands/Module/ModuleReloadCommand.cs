// flux module reload: remove a module and load it again from the same place with new arguments
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleReloadCommand : Command
{
    public override string Name => "module reload";

    public override string Summary => "Remove a module and load it again from the same place with new arguments.";

    public override string Usage => "[-f] NAME [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Load the module even if it was not loaded.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var name = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var list = await h.RpcAsync("module.list", null, NodeId.Any, ct).ConfigureAwait(false);
        var mod = (list?["mods"] as JsonArray)?.FirstOrDefault(m => m?["name"]?.GetValue<string>() == name);
        if (mod is null && !args.Has("force"))
        {
            throw new FluxException(Errno.ENOENT, $"module '{name}' is not loaded");
        }
        if (mod is not null)
        {
            await h.RpcAsync("module.remove", new JsonObject { ["name"] = name }, NodeId.Any, ct).ConfigureAwait(false);
        }
        var req = new JsonObject
        {
            ["path"] = mod?["path"]?.GetValue<string>() ?? name,
            ["name"] = name,
            ["args"] = new JsonArray([.. args.Positionals.Skip(1).Select(a => (JsonNode)a)]),
        };
        await h.RpcAsync("module.load", req, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
