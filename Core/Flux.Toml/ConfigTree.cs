// A loaded Flux configuration: the merged tree as plain JSON, and which file defined each key.
using System.Text.Json.Nodes;

namespace Flux.Toml;

/// <summary>
/// The result of <see cref="ConfigDirectory.Load"/>. <see cref="Sources"/> maps the dotted path of
/// every table and key (e.g. <c>kvs</c>, <c>kvs.checkpoint-period</c>, <c>resource.config</c>) to
/// the name of the file that defined it; tables inside arrays appear with their index
/// (<c>resource.config[0]</c>, <c>resource.config[0].hosts</c>).
/// </summary>
public sealed class ConfigTree
{
    /// <summary>Wraps a tree, e.g. one received from a parent broker, with whatever attribution is known.</summary>
    public ConfigTree(JsonObject root, IReadOnlyDictionary<string, string> sources, IReadOnlyList<string>? files = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(sources);
        Root = root;
        Sources = sources;
        Files = files ?? [];
    }

    /// <summary>The merged configuration in the plain JSON form of <see cref="TomlJson.ToPlainJson(TomlTable)"/>.</summary>
    public JsonObject Root { get; }

    /// <summary>Dotted key path to the file name (no directory) that defined it.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>The files that were read, in load order, as full paths.</summary>
    public IReadOnlyList<string> Files { get; }
}
