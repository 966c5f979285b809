// flux module load: load a broker module by name (on the module path) or by path to its .dll
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleLoadCommand : Command
{
    public override string Name => "module load";

    public override string Summary => "Load a broker module by name (on the module path) or by path to its .dll.";

    public override string Usage => "[-n NAME] MODULE [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("name", 'n', "NAME", "Load the module under another name.")];

    public override string Details => """
        MODULE is a name ([FluxPlugin] name, or file name without .dll) looked up on FLUX_MODULE_PATH
        (this command's, then the broker's), the [modules] search-path config key, the installed plugin
        packages (flux plugin list; NAME@VERSION pins one) and the built-in module folder; or a path
        to a plugin assembly (.dll). ARGS are passed to the module, conventionally as key=value.

        Example: flux module load samples/Hello/bin/Release/net10.0/Hello.dll greeting=Hi
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var spec = args.Positionals[0];
        string? found = null;
        if (Flux.Client.Plugins.PluginLoader.IsPath(spec))
        {
            spec = Path.GetFullPath(spec);
        }
        else if (!spec.Contains('@', StringComparison.Ordinal) && Environment.GetEnvironmentVariable("FLUX_MODULE_PATH") is { Length: > 0 } env
            && Flux.Client.Plugins.PluginLoader.Find(spec, PluginKind.Module, env.Split(':', StringSplitOptions.RemoveEmptyEntries)) is { } hit)
        {
            // FLUX_MODULE_PATH in this command's environment: the broker has only the one it started with.
            (spec, found) = (Path.GetFullPath(hit.Metadata.Path), hit.Entry.Name);
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new JsonObject
        {
            ["path"] = spec,
            ["args"] = new JsonArray([.. args.Positionals.Skip(1).Select(a => (JsonNode)a)]),
        };
        if ((args.Get("name") ?? found) is { } n)
        {
            req["name"] = n;
        }
        await h.RpcAsync("module.load", req, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
