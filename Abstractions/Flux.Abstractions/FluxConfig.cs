// Read access to the instance configuration (the TOML tree as JSON) with typed, file-attributed errors.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Abstractions;

/// <summary>
/// The instance configuration: every <c>*.toml</c> of the config directory merged into one JSON
/// object, plus which file defined each key. Typed getters return a default when a key is absent
/// and throw <see cref="ConfigException"/> when it is present with the wrong type, naming the file,
/// the table and the key: <c>system.toml: [kvs] checkpoint-period: expected a duration like "30m", got 42</c>.
/// Keys are dotted paths (<c>"kvs.checkpoint-period"</c>).
/// </summary>
public sealed class FluxConfig
{
    private readonly IReadOnlyDictionary<string, string> _sources;

    /// <summary>Wraps a configuration tree and the map from dotted key path to the file that defined it.</summary>
    public FluxConfig(JsonObject root, IReadOnlyDictionary<string, string>? sources = null)
    {
        Root = root ?? throw new ArgumentNullException(nameof(root));
        _sources = sources ?? new Dictionary<string, string>();
    }

    /// <summary>An empty configuration.</summary>
    public static FluxConfig Empty => new(new JsonObject());

    /// <summary>The whole tree. Do not modify it: it may be shared.</summary>
    public JsonObject Root { get; }

    /// <summary>Dotted key path → file name that defined it.</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>Returns the node at a dotted path, or null when any part is absent.</summary>
    public JsonNode? Get(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path == ".")
        {
            return Root;
        }
        JsonNode? node = Root;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Whether a key is present.</summary>
    public bool Contains(string path) => Get(path) is not null;

    /// <summary>A string value, or the default when absent.</summary>
    public string? GetString(string path, string? defaultValue = null)
    {
        var n = Get(path);
        if (n is null)
        {
            return defaultValue;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Error(path, "expected a string", n);
    }

    /// <summary>An integer value, or the default when absent.</summary>
    public long GetInt64(string path, long defaultValue = 0)
    {
        var n = Get(path);
        if (n is null)
        {
            return defaultValue;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l)
            ? l
            : throw Error(path, "expected an integer", n);
    }

    /// <summary>A number (integer or float), or the default when absent.</summary>
    public double GetDouble(string path, double defaultValue = 0)
    {
        var n = Get(path);
        if (n is null)
        {
            return defaultValue;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? v.GetValue<double>()
            : throw Error(path, "expected a number", n);
    }

    /// <summary>A boolean value, or the default when absent.</summary>
    public bool GetBool(string path, bool defaultValue = false)
    {
        var n = Get(path);
        if (n is null)
        {
            return defaultValue;
        }
        return n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Error(path, "expected true or false", n);
    }

    /// <summary>A table, or null when absent.</summary>
    public JsonObject? GetTable(string path)
    {
        var n = Get(path);
        return n is null ? null : n as JsonObject ?? throw Error(path, "expected a table", n);
    }

    /// <summary>An array, or null when absent.</summary>
    public JsonArray? GetArray(string path)
    {
        var n = Get(path);
        return n is null ? null : n as JsonArray ?? throw Error(path, "expected an array", n);
    }

    /// <summary>An array of strings, or an empty list when absent.</summary>
    public IReadOnlyList<string> GetStringArray(string path)
    {
        var arr = GetArray(path);
        if (arr is null)
        {
            return [];
        }
        var list = new List<string>(arr.Count);
        foreach (var item in arr)
        {
            list.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw Error(path, "expected an array of strings", arr));
        }
        return list;
    }

    /// <summary>The file that defined a key (or its nearest enclosing table), or null when unknown.</summary>
    public string? SourceOf(string path)
    {
        var p = path;
        while (true)
        {
            if (_sources.TryGetValue(p, out var file))
            {
                return file;
            }
            var dot = p.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }
            p = p[..dot];
        }
    }

    /// <summary>
    /// Refuses a key of the table at <paramref name="path"/> that is not one of <paramref name="known"/>
    /// (<c>FILE: [TABLE] KEY: unknown key (expected one of ...)</c>); an absent table passes.
    /// </summary>
    public void CheckKeys(string path, params string[] known)
    {
        if (GetTable(path) is { } table)
        {
            CheckKeys(table, path, known);
        }
    }

    /// <summary>The same check for a table reached otherwise (an entry of an array of tables, named by <paramref name="path"/>).</summary>
    public void CheckKeys(JsonObject table, string path, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(known);
        foreach (var (key, value) in table)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                throw Error($"{path}.{key}", $"unknown key (expected {(known.Length == 1 ? known[0] : "one of " + string.Join(", ", known))})", value);
            }
        }
    }

    /// <summary>
    /// Builds the error for a key whose value is wrong, in the form
    /// <c>FILE: [TABLE] KEY: WHAT, got VALUE</c>.
    /// </summary>
    public ConfigException Error(string path, string what, JsonNode? got)
    {
        ArgumentNullException.ThrowIfNull(path);
        var dot = path.LastIndexOf('.');
        var where = dot < 0 ? path : $"[{path[..dot]}] {path[(dot + 1)..]}";
        var file = SourceOf(path);
        var gotText = got is null ? "nothing" : got.ToJsonString();
        var prefix = file is null ? string.Empty : file + ": ";
        return new ConfigException(string.Create(CultureInfo.InvariantCulture, $"{prefix}{where}: {what}, got {gotText}"));
    }
}
