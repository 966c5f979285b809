// [ingest.validator] and [ingest.frobnicator] (flux-config-ingest(5)): plugins, args, disable, and a table per plugin name.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobIngest;

/// <summary>
/// One stage's configuration. <c>args</c> are flux-core's command-line words of the stage's worker; here each
/// <c>--key=value</c> (or <c>--key</c>, meaning true) becomes the key <c>key</c> in every plugin's Conf, on top
/// of the plugin's own table <c>[ingest.STAGE.NAME]</c>; a value that parses as a JSON number or boolean is one.
/// </summary>
internal sealed record IngestStageConfig(string Stage, IReadOnlyList<string> Plugins, bool PluginsGiven, JsonObject Args, bool Disabled, JsonObject Table)
{
    public static IngestStageConfig Read(FluxConfig config, string stage, IReadOnlyList<string> defaults)
    {
        var path = "ingest." + stage;
        var table = config.GetTable(path) ?? [];
        foreach (var (key, value) in table)
        {
            if (key is not ("plugins" or "args" or "disable") && value is not JsonObject)
            {
                throw config.Error($"{path}.{key}", "expected plugins, args, disable, or a table named after a plugin", value);
            }
        }
        var given = table.ContainsKey("plugins");
        var plugins = given ? config.GetStringArray(path + ".plugins") : defaults;
        var args = new JsonObject();
        foreach (var word in config.GetStringArray(path + ".args"))
        {
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                throw config.Error(path + ".args", "expected words like \"--key=value\" or \"--flag\"", JsonValue.Create(word));
            }
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            args[eq < 0 ? word[2..] : word[2..eq]] = eq < 0 ? true : Value(word[(eq + 1)..]);
        }
        return new IngestStageConfig(stage, plugins, given, args, config.GetBool(path + ".disable"), table);
    }

    /// <summary>A plugin's Conf: a copy of its own table with the args laid over it.</summary>
    public JsonObject ConfFor(string name)
    {
        var conf = Table[name] is JsonObject own ? (JsonObject)own.DeepClone() : [];
        foreach (var (key, value) in Args)
        {
            conf[key] = value?.DeepClone();
        }
        return conf;
    }

    /// <summary>
    /// What <c>AddFluxPluginConf</c> binds for a plugin of this stage: its Conf, named as its table
    /// <c>[ingest.STAGE.NAME]</c> of <paramref name="config"/>; the args keys its own table does not hold
    /// are shared by every plugin of the stage, so a plugin's options class need not accept them.
    /// </summary>
    public PluginConf PluginConfFor(PluginKind kind, string name, FluxConfig config)
    {
        var own = Table[name] as JsonObject;
        return new PluginConf(kind, name, ConfFor(name), $"ingest.{Stage}.{name}", config,
            Args.Select(a => a.Key).Where(k => own is null || !own.ContainsKey(k)));
    }

    private static JsonNode Value(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return d;
        }
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>The stage's settings as the module's stats and the log show them.</summary>
    public override string ToString() =>
        $"plugins={string.Join(",", Plugins)} args={Args.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}{(Disabled ? " (disabled)" : "")}";
}
