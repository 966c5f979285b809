// flux jobtap load: load a job-manager plugin by name (on the jobtap path) or by path, with KEY=VAL configuration
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class JobtapLoadCommand : Command
{
    public override string Name => "jobtap load";

    public override string Summary => "Load a job-manager plugin by name (on the jobtap path) or by path to its .dll.";

    public override string Usage => "[--remove=NAME] PLUGIN [KEY=VAL...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("remove", null, "NAME", "Remove plugins matching NAME (a glob, or all) first.")];

    public override string Details => """
        PLUGIN is a name looked up on FLUX_JOBTAP_PATH, the conf.jobtap_pluginpath attribute and the
        built-in jobtap folder, or a path to a plugin assembly (.dll). KEY=VAL words become the
        plugin's configuration: a value that reads as a JSON number or boolean is one, else a string.

        Example: flux jobtap load samples/ActiveJobLimit/bin/Release/net10.0/ActiveJobLimit.dll max=2
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var spec = args.Positionals[0];
        if (Flux.Client.Plugins.PluginLoader.IsPath(spec))
        {
            spec = Path.GetFullPath(spec);
        }
        var req = new JsonObject { ["load"] = spec, ["conf"] = Conf(args.Positionals.Skip(1)) };
        if (args.Get("remove") is { } rm)
        {
            req["remove"] = rm;
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.jobtap", req, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }

    /// <summary>KEY=VAL words as a JSON object (flux-jobtap(1) does the same).</summary>
    internal static JsonObject Conf(IEnumerable<string> words)
    {
        var conf = new JsonObject();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"'{w}': plugin configuration must be KEY=VAL");
            }
            var value = w[(eq + 1)..];
            conf[w[..eq]] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n)
                : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
                : bool.TryParse(value, out var b) ? JsonValue.Create(b)
                : JsonValue.Create(value);
        }
        return conf;
    }
}
