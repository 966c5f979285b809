// flux-plugin.json: what an installable plugin package declares (id, version, contract, plugins), written by the SDK's pack.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>One plugin a package provides.</summary>
/// <param name="Name">Its <see cref="FluxPluginAttribute"/> name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Assembly">The assembly file declaring it, relative to the package's folder.</param>
public sealed record ManifestPlugin(string Name, PluginKind Kind, string Assembly);

/// <summary>
/// The manifest at the top of a plugin package's <c>flux-plugin/</c> folder and of each installed
/// version's folder: <c>{"id", "version", "contract", "plugins": [{"name", "kind", "assembly"}]}</c>,
/// where <c>contract</c> is the Flux.Abstractions version the plugin was built against.
/// </summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The package version as written (semantic version).</param>
/// <param name="ContractVersion">The Flux.Abstractions version the plugin was built against.</param>
/// <param name="Plugins">The plugins it provides.</param>
/// <param name="Directory">The folder the manifest was read from.</param>
public sealed record PluginManifest(string Id, string Version, Version ContractVersion, IReadOnlyList<ManifestPlugin> Plugins, string Directory)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "flux-plugin.json";

    /// <summary>The package version's numeric part, for ordering (a prerelease orders with its release).</summary>
    public Version SemanticVersion => System.Version.TryParse(Version.Split('-', '+')[0], out var v) ? v : new Version(0, 0);

    /// <summary>Reads a folder's manifest; null when it has none. A malformed one is an EINVAL error.</summary>
    public static PluginManifest? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), directory) : null;
    }

    /// <summary>Parses manifest text.</summary>
    public static PluginManifest Parse(string json, string directory)
    {
        try
        {
            var o = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("not an object");
            var plugins = (o["plugins"]?.AsArray() ?? throw new JsonException("no plugins"))
                .Select(p => new ManifestPlugin(
                    Str(p, "name"),
                    Enum.Parse<PluginKind>(Str(p, "kind"), ignoreCase: true),
                    SafeRelative(Str(p, "assembly"))))
                .ToList();
            return new PluginManifest(Str(o, "id"), Str(o, "version"), System.Version.Parse(Str(o, "contract")), plugins, directory);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new FluxException(Errno.EINVAL, $"{Path.Combine(directory, FileName)}: malformed plugin manifest: {ex.Message}", ex);
        }
    }

    /// <summary>The manifest as JSON.</summary>
    public string ToJson() => new JsonObject
    {
        ["id"] = Id,
        ["version"] = Version,
        ["contract"] = ContractVersion.ToString(3),
        ["plugins"] = new JsonArray([.. Plugins.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["kind"] = p.Kind.ToString(), ["assembly"] = p.Assembly })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static string Str(JsonNode? node, string key) =>
        node?[key]?.GetValue<string>() is { Length: > 0 } s ? s : throw new JsonException($"'{key}' is missing");

    // An assembly named by the manifest stays inside the package's folder.
    private static string SafeRelative(string path) =>
        Path.IsPathRooted(path) || path.Split('/', '\\').Contains("..") ? throw new JsonException($"assembly '{path}' leaves the package folder") : path;
}
