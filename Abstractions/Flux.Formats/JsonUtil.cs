// Strict JSON type tests shared by the jobspec and R validators (integers are integer literals only).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Formats;

internal static class JsonUtil
{
    // Compact output that leaves '+', '<', non-ASCII and the like unescaped, as jansson writes them.
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // An integer is an integer literal in the JSON text, or a constructed integral value: a parsed
    // "2.0" or a constructed double is not, as jansson's json_is_integer() would say.
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        if (v.TryGetValue<JsonElement>(out var element))
        {
            return long.TryParse(element.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }
        if (v.TryGetValue<double>(out _) || v.TryGetValue<float>(out _) || v.TryGetValue<decimal>(out _) || v.TryGetValue<Half>(out _))
        {
            return false;
        }
        return long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        return false;
    }

    public static bool IsBoolean(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    public static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
