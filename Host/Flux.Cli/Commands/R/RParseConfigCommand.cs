// flux R parse-config: print the R described by a config directory's [[resource.config]] (or resource.path)
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RParseConfigCommand : Command
{
    public override string Name => "R parse-config";

    public override string Summary => "Print the R described by a config directory's [[resource.config]] (or resource.path).";

    public override string Usage => "PATH";

    public override string Details => """
        PATH is a config directory (every *.toml merged) or a single .toml or .json file, read as
        'flux start --config-path' reads it. Ranks are given to hosts in order of first appearance.

        Example:
          flux R parse-config /etc/flux/system/conf.d
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var config = Flux.Client.Config.ConfigLoader.Load(args.Positionals[0]);
        var entries = config.GetArray("resource.config");
        Rv1 r;
        if (entries is null)
        {
            var path = config.GetString("resource.path")
                ?? throw Invalid("Config file error: resource.config or resource.path must be defined");
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FluxException(Errno.ENOENT, $"{path}: {ex.Message}", ex);
            }
            r = Wrap(() => Rv1.Parse(text), path + ": ");
        }
        else
        {
            var file = config.SourceOf("resource.config") is { } f ? f + ": " : "";
            r = Wrap(() => Rv1.FromConfig(Entries(entries)), "Config file error: " + file);
        }
        Console.WriteLine(r.ToString());
        return 0;
    }

    private static Rv1 Wrap(Func<Rv1> build, string prefix)
    {
        try
        {
            return build();
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, prefix + ex.Message, ex);
        }
    }

    // Each entry is {hosts, cores?, gpus?, properties?} and nothing else, as rlist_from_config() unpacks it.
    private static List<ResourceConfigEntry> Entries(JsonArray array)
    {
        var list = new List<ResourceConfigEntry>();
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"resource.config[{i}]";
            var o = array[i] as JsonObject ?? throw Invalid($"{where}: expected a table, got {array[i]?.ToJsonString() ?? "null"}");
            if (o.Select(p => p.Key).FirstOrDefault(k => k is not ("hosts" or "cores" or "gpus" or "properties")) is { } unknown)
            {
                throw Invalid($"{where}: unknown key '{unknown}'");
            }
            var hosts = String(o, "hosts", where) ?? throw Invalid($"{where}: hosts is required");
            List<string>? properties = null;
            if (o["properties"] is { } p)
            {
                properties = p is JsonArray pa && pa.All(x => x?.GetValueKind() == JsonValueKind.String)
                    ? [.. pa.Select(x => x!.GetValue<string>())]
                    : throw Invalid($"{where}: properties: expected an array of strings, got {p.ToJsonString()}");
            }
            list.Add(new ResourceConfigEntry(hosts, String(o, "cores", where), String(o, "gpus", where), properties));
        }
        return list;
    }

    private static string? String(JsonObject o, string key, string where) => o[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Invalid($"{where}: {key}: expected a string, got {other.ToJsonString()}"),
    };
}
