// Converts a TOML document to JSON: toml-test's tagged form, and the plain form the Flux config tree uses.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Flux.Toml;

/// <summary>
/// Converts parsed documents to <see cref="System.Text.Json.Nodes"/> trees. Both forms keep table
/// keys in document order. The recursion is bounded by <see cref="TomlParser.MaxDepth"/>; note that
/// <c>JsonNode.ToJsonString()</c> with default options refuses depths over 64, so write deep trees
/// with a <c>Utf8JsonWriter</c> (default limit 1000).
/// </summary>
public static class TomlJson
{
    /// <summary>
    /// The toml-test encoding: tables and arrays as JSON objects and arrays, every scalar as
    /// <c>{"type": T, "value": "text"}</c> with T one of string, integer, float, bool, datetime,
    /// datetime-local, date-local, time-local.
    /// </summary>
    public static JsonObject ToTaggedJson(TomlTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var obj = new JsonObject();
        foreach (var (key, value) in table)
        {
            obj.Add(key, Tagged(value));
        }
        return obj;
    }

    /// <summary>
    /// The plain encoding: integers and floats as JSON numbers (inf, -inf and nan, which JSON cannot
    /// hold, as the strings "inf", "-inf", "nan"), booleans as booleans, strings as strings, and
    /// date/times as their RFC 3339 strings.
    /// </summary>
    public static JsonObject ToPlainJson(TomlTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var obj = new JsonObject();
        foreach (var (key, value) in table)
        {
            obj.Add(key, Plain(value));
        }
        return obj;
    }

    /// <summary>One value in the plain encoding (a table gives a <see cref="JsonObject"/>, an array a <see cref="JsonArray"/>).</summary>
    public static JsonNode ToPlainJson(TomlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Plain(value);
    }

    private static JsonNode Tagged(TomlValue value)
    {
        switch (value)
        {
            case TomlTable t:
                return ToTaggedJson(t);
            case TomlArray a:
                var array = new JsonArray();
                foreach (var item in a)
                {
                    array.Add(Tagged(item));
                }
                return array;
            default:
                var type = value.Kind switch
                {
                    TomlValueKind.String => "string",
                    TomlValueKind.Integer => "integer",
                    TomlValueKind.Float => "float",
                    TomlValueKind.Boolean => "bool",
                    TomlValueKind.OffsetDateTime => "datetime",
                    TomlValueKind.LocalDateTime => "datetime-local",
                    TomlValueKind.LocalDate => "date-local",
                    _ => "time-local",
                };
                return new JsonObject { ["type"] = type, ["value"] = value.ToString() };
        }
    }

    private static JsonNode Plain(TomlValue value)
    {
        switch (value)
        {
            case TomlTable t:
                return ToPlainJson(t);
            case TomlArray a:
                var array = new JsonArray();
                foreach (var item in a)
                {
                    array.Add(Plain(item));
                }
                return array;
            case TomlString s:
                return JsonValue.Create(s.Value);
            case TomlInteger i:
                return JsonValue.Create(i.Value);
            case TomlFloat f:
                return double.IsFinite(f.Value) ? JsonValue.Create(f.Value) : JsonValue.Create(f.ToString());
            case TomlBoolean b:
                return JsonValue.Create(b.Value);
            default:
                return JsonValue.Create(value.ToString() ?? string.Empty);
        }
    }
}
