// Loads a Flux configuration: every *.toml of a directory merged into one tree, or a single .toml or .json file.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Toml;

/// <summary>
/// Reads the configuration named by <c>--config-path</c> / <c>FLUX_CONF_DIR</c> the way flux-core
/// does: a directory means every <c>*.toml</c> directly inside it, read in ordinal order of file
/// name and merged; a file may be a single <c>.toml</c> or a <c>.json</c> object.
/// </summary>
public static class ConfigDirectory
{
    /// <summary>Loads a directory or file.</summary>
    /// <exception cref="TomlException">
    /// The path does not exist or cannot be read, a file is not valid TOML (or JSON), or two files
    /// define the same table or key (the message names both files, e.g.
    /// <c>b.toml: [kvs] is already defined in a.toml (a.toml line 1, b.toml line 3)</c>).
    /// </exception>
    public static ConfigTree Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*.toml", SearchOption.TopDirectoryOnly)
                .Where(f => string.Equals(Path.GetExtension(f), ".toml", StringComparison.Ordinal))
                .OrderBy(Path.GetFileName, StringComparer.Ordinal)
                .ToList();
            return LoadToml(files);
        }
        var extension = Path.GetExtension(path);
        if (File.Exists(path))
        {
            return extension switch
            {
                ".toml" => LoadToml([path]),
                ".json" => LoadJson(path),
                _ => throw new TomlException($"config file '{path}' is neither a .toml nor a .json file"),
            };
        }
        throw new TomlException(extension is ".toml" or ".json"
            ? $"config file '{path}' does not exist"
            : $"config directory '{path}' does not exist");
    }

    private static ConfigTree LoadToml(List<string> files)
    {
        var merger = new ConfigMerger();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            merger.Add(TomlParser.Parse(Read(file), name), name);
        }
        return new ConfigTree(TomlJson.ToPlainJson(merger.Root), merger.Sources, files);
    }

    private static ConfigTree LoadJson(string file)
    {
        var name = Path.GetFileName(file);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Read(file));
        }
        catch (JsonException ex)
        {
            throw new TomlException($"{name}: invalid JSON: {ex.Message}", ex);
        }
        if (node is not JsonObject root)
        {
            throw new TomlException("the configuration must be a JSON object", name, 0, 0);
        }
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        Attribute(root, string.Empty, name, sources);
        return new ConfigTree(root, sources, [file]);
    }

    private static void Attribute(JsonNode? node, string path, string file, Dictionary<string, string> sources)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    sources[child] = file;
                    Attribute(value, child, file, sources);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject or JsonArray)
                    {
                        var child = $"{path}[{i}]";
                        sources[child] = file;
                        Attribute(array[i], child, file, sources);
                    }
                }
                break;
        }
    }

    private static byte[] Read(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TomlException($"cannot read config file '{file}': {ex.Message}", ex);
        }
    }
}
