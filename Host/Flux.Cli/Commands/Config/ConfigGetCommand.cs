// flux config get: print the whole configuration, or the value of KEY, as JSON
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class ConfigGetCommand : Command
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public override string Name => "config get";

    public override string Summary => "Print the whole configuration, or the value of KEY, as JSON.";

    public override string Usage => "[OPTIONS] [KEY]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("type", 't', "TYPE", "Check and convert: string, integer, real, boolean, fsd, fsd-integer, fsd-real, object, array."),
        new("default", 'd', "VALUE", "Print VALUE when KEY is not set (instead of failing)."),
        new("quiet", 'q', null, "Print nothing; only set the exit code."),
        new("config-path", 'c', "DIR", "Read DIR (or a .toml/.json file) instead of asking the instance."),
    ];

    public override string Details => """
        KEY is dotted (resource.exclude, policy.limits.duration). Strings print without quotes, like
        flux-core's command; tables and arrays print as JSON. With --type=fsd the value must be an
        FSD string and prints normalized; fsd-integer and fsd-real print it in seconds.

        Examples:
          flux config get
          flux config get --type=fsd kvs.checkpoint-period
          flux config get --config-path=/etc/flux/system resource.config
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        FluxConfig config;
        if (args.Get("config-path") is { } path)
        {
            config = Flux.Client.Config.ConfigLoader.Load(path);
        }
        else
        {
            await using var h = await OpenAsync(ct).ConfigureAwait(false);
            var resp = await h.RpcAsync("config.get", null, NodeId.Any, ct).ConfigureAwait(false);
            config = new FluxConfig(resp?["config"] as JsonObject ?? []);
        }
        var key = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        var node = key is null ? config.Root : config.Get(key);
        if (node is null)
        {
            if (args.Get("default") is { } d)
            {
                Console.WriteLine(d);
                return 0;
            }
            if (!args.Has("quiet"))
            {
                await Console.Error.WriteLineAsync($"flux-config: {key}: not set").ConfigureAwait(false);
            }
            return 1;
        }
        var text = args.Get("type") is { } type ? Convert(key ?? ".", node, type) : Render(node);
        if (!args.Has("quiet"))
        {
            Console.WriteLine(text);
        }
        return 0;
    }

    private static string Render(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString(Pretty);

    private static string Convert(string key, JsonNode node, string type)
    {
        var kind = node.GetValueKind();
        string Fail(string what) => throw new FluxException(Errno.EINVAL, $"{key}: expected {what}, got {node.ToJsonString()}");
        switch (type)
        {
            case "string":
                return kind == JsonValueKind.String ? node.GetValue<string>() : Fail("a string");
            case "integer":
                return kind == JsonValueKind.Number && node.AsValue().TryGetValue(out long l) ? l.ToString(CultureInfo.InvariantCulture) : Fail("an integer");
            case "real":
                return kind == JsonValueKind.Number ? node.GetValue<double>().ToString("R", CultureInfo.InvariantCulture) : Fail("a number");
            case "boolean":
                return kind is JsonValueKind.True or JsonValueKind.False ? (kind == JsonValueKind.True ? "true" : "false") : Fail("a boolean");
            case "object":
                return kind == JsonValueKind.Object ? node.ToJsonString(Pretty) : Fail("a table");
            case "array":
                return kind == JsonValueKind.Array ? node.ToJsonString(Pretty) : Fail("an array");
            case "fsd":
            case "fsd-integer":
            case "fsd-real":
                if (kind != JsonValueKind.String || !Fsd.TryParse(node.GetValue<string>(), out var seconds))
                {
                    return Fail("a duration like \"30m\"");
                }
                return type switch
                {
                    "fsd" => Fsd.Format(seconds),
                    "fsd-integer" => ((long)seconds).ToString(CultureInfo.InvariantCulture),
                    _ => seconds.ToString("R", CultureInfo.InvariantCulture),
                };
            default:
                throw new UsageException($"--type: unknown type '{type}' (string, integer, real, boolean, fsd, fsd-integer, fsd-real, object, array)");
        }
    }
}
