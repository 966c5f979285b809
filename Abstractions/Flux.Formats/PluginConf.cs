// A hosted plugin's per-load configuration (a jobtap plugin's conf, a validator's or frobnicator's table and args, a shell plugin's plugin.load conf), as AddFluxPluginConf binds it.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// The configuration one load of a plugin is given by the module that hosts it: a jobtap plugin's
/// <c>conf</c> (of its <c>[job-manager] plugins</c> entry, or the <c>KEY=VAL</c> words of
/// <c>flux jobtap load</c>), a validator's or frobnicator's <c>[ingest.STAGE.NAME]</c> table with the
/// stage's <c>args</c> laid over it, a shell plugin's <c>conf</c> of <c>plugin.load</c> in an initrc. The host registers it in the plugin's service provider;
/// <see cref="FluxOptionsServiceCollectionExtensions.AddFluxPluginConf{T}"/> binds it. It holds the
/// same values as <c>IPluginRegistrar.Conf</c>.
/// </summary>
public sealed class PluginConf
{
    /// <summary>
    /// Describes one load's configuration. <paramref name="path"/> is the dotted path errors name the
    /// table by (<c>"job-manager.plugins[0].conf"</c>, <c>"ingest.validator.NAME"</c>; <c>"conf"</c>
    /// when it came from a request), <paramref name="origin"/> the instance configuration it was read
    /// from (its file names appear in errors), <paramref name="sharedKeys"/> the keys every plugin of
    /// the host is given (job-ingest's <c>args</c>): a plugin whose options class lacks one is not
    /// refused for it, since it belongs to another plugin.
    /// </summary>
    public PluginConf(PluginKind kind, string plugin, JsonObject values, string path = "conf", FluxConfig? origin = null, IEnumerable<string>? sharedKeys = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Kind = kind;
        Plugin = plugin;
        Values = values;
        Path = path;
        Origin = origin;
        SharedKeys = new HashSet<string>(sharedKeys ?? [], StringComparer.Ordinal);
    }

    /// <summary>The plugin's kind (errors say <c>jobtap plugin NAME</c>, <c>validator plugin NAME</c> ...).</summary>
    public PluginKind Kind { get; }

    /// <summary>The plugin's name.</summary>
    public string Plugin { get; }

    /// <summary>The values, keyed as given. Do not modify: the host may share them.</summary>
    public JsonObject Values { get; }

    /// <summary>The dotted path errors name the table by.</summary>
    public string Path { get; }

    /// <summary>The instance configuration the values were read from, or null when they came from a request.</summary>
    public FluxConfig? Origin { get; }

    /// <summary>Keys given to every plugin of the host, tolerated when the options class lacks them.</summary>
    public IReadOnlySet<string> SharedKeys { get; }
}
