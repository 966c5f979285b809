// The part of JSON Schema (draft 4 to 2020-12) that flux-core's jobspec schemas use; no JSON Schema package is served here.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flux.Abstractions;

namespace Flux.Validators.Builtins;

/// <summary>
/// Validates a JSON value against a schema with the keywords type, enum, const, properties, required,
/// additionalProperties, patternProperties, items (one schema), minItems, maxItems, minimum, maximum,
/// exclusiveMinimum and exclusiveMaximum (numbers), minLength, maxLength, pattern, allOf, anyOf, oneOf,
/// not, and $ref to a JSON pointer within the document (<c>#/definitions/x</c>, <c>#/$defs/x</c>).
/// Other keywords are ignored, as a validator ignores annotations; an unsupported $ref refuses the schema
/// at load. The first violation is reported as <c>path: rule</c>, like the jobspec validator.
/// </summary>
internal sealed class JsonSchemaSubset(JsonObject root)
{
    private readonly Dictionary<string, Regex> _patterns = [];

    /// <summary>Resolves every $ref of the schema once, so a schema that cannot be used is refused at load.</summary>
    public void CheckReferences() => CheckReferences(root);

    /// <summary>Why <paramref name="value"/> does not match the schema, or null when it does.</summary>
    public string? Check(JsonNode? value) => Check(root, value, "jobspec");

    private string? Check(JsonNode? schema, JsonNode? value, string at)
    {
        switch (schema)
        {
            case JsonValue b when b.TryGetValue(out bool allowed):
                return allowed ? null : $"{at}: not allowed";
            case not JsonObject:
                return null;
        }
        var s = (JsonObject)schema;
        if (s["$ref"] is JsonValue r)
        {
            return Check(Resolve(r.GetValue<string>()), value, at);
        }
        return Type(s, value, at) ?? Values(s, value, at) ?? Combinators(s, value, at)
            ?? (value switch
            {
                JsonObject o => Object(s, o, at),
                JsonArray a => Array(s, a, at),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(s, v.GetValue<double>(), at),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => Text(s, v.GetValue<string>(), at),
                _ => null,
            });
    }

    private void CheckReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r)
                {
                    Resolve(r.GetValue<string>());
                }
                foreach (var (_, child) in o)
                {
                    CheckReferences(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    CheckReferences(child);
                }
                break;
            default:
                break;
        }
    }

    private static string? Type(JsonObject s, JsonNode? value, string at)
    {
        var types = s["type"] switch
        {
            JsonValue t => [t.GetValue<string>()],
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
            _ => null,
        };
        return types is null || types.Any(t => Is(t, value)) ? null : $"{at}: expected {string.Join(" or ", types)}";
    }

    private static bool Is(string type, JsonNode? value) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "null" => value is null,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Math.Floor(v.GetValue<double>()) == v.GetValue<double>(),
        _ => false,
    };

    private static string? Values(JsonObject s, JsonNode? value, string at)
    {
        if (s["enum"] is JsonArray choices && !choices.Any(c => JsonNode.DeepEquals(c, value)))
        {
            return $"{at}: must be one of {choices.ToJsonString()}";
        }
        return s.TryGetPropertyValue("const", out var c1) && !JsonNode.DeepEquals(c1, value) ? $"{at}: must be {c1?.ToJsonString() ?? "null"}" : null;
    }

    private string? Combinators(JsonObject s, JsonNode? value, string at)
    {
        foreach (var sub in s["allOf"] as JsonArray ?? [])
        {
            if (Check(sub, value, at) is { } why)
            {
                return why;
            }
        }
        if (s["anyOf"] is JsonArray any && !any.Any(sub => Check(sub, value, at) is null))
        {
            return $"{at}: matches none of the allowed forms (anyOf)";
        }
        if (s["oneOf"] is JsonArray one && one.Count(sub => Check(sub, value, at) is null) != 1)
        {
            return $"{at}: must match exactly one of the allowed forms (oneOf)";
        }
        return s["not"] is { } not && Check(not, value, at) is null ? $"{at}: matches a form that is not allowed" : null;
    }

    private string? Object(JsonObject s, JsonObject o, string at)
    {
        foreach (var name in (s["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
        {
            if (!o.ContainsKey(name))
            {
                return $"{at}: missing required key {name}";
            }
        }
        var properties = s["properties"] as JsonObject;
        var patterns = s["patternProperties"] as JsonObject;
        foreach (var (key, child) in o)
        {
            var matched = false;
            if (properties is not null && properties.TryGetPropertyValue(key, out var ps))
            {
                matched = true;
                if (Check(ps, child, $"{at}.{key}") is { } why)
                {
                    return why;
                }
            }
            foreach (var (pattern, pps) in patterns ?? [])
            {
                if (Regex(pattern).IsMatch(key))
                {
                    matched = true;
                    if (Check(pps, child, $"{at}.{key}") is { } why)
                    {
                        return why;
                    }
                }
            }
            if (!matched && s["additionalProperties"] is { } extra)
            {
                if (extra is JsonValue b && b.TryGetValue(out bool allowed) && !allowed)
                {
                    return $"{at}: unexpected key {key}";
                }
                if (Check(extra, child, $"{at}.{key}") is { } why)
                {
                    return why;
                }
            }
        }
        return null;
    }

    private string? Array(JsonObject s, JsonArray a, string at)
    {
        if (Count(s, "minItems") is { } min && a.Count < min)
        {
            return $"{at}: must have at least {min} items";
        }
        if (Count(s, "maxItems") is { } max && a.Count > max)
        {
            return $"{at}: must have at most {max} items";
        }
        if (s["items"] is JsonObject items)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (Check(items, a[i], $"{at}[{i}]") is { } why)
                {
                    return why;
                }
            }
        }
        return null;
    }

    private static string? Number(JsonObject s, double n, string at)
    {
        if (s["minimum"] is JsonValue min && n < min.GetValue<double>())
        {
            return $"{at}: must be >= {min.ToJsonString()}";
        }
        if (s["maximum"] is JsonValue max && n > max.GetValue<double>())
        {
            return $"{at}: must be <= {max.ToJsonString()}";
        }
        if (s["exclusiveMinimum"] is JsonValue emin && emin.GetValueKind() == JsonValueKind.Number && n <= emin.GetValue<double>())
        {
            return $"{at}: must be > {emin.ToJsonString()}";
        }
        return s["exclusiveMaximum"] is JsonValue emax && emax.GetValueKind() == JsonValueKind.Number && n >= emax.GetValue<double>()
            ? $"{at}: must be < {emax.ToJsonString()}" : null;
    }

    private string? Text(JsonObject s, string text, string at)
    {
        if (Count(s, "minLength") is { } min && text.Length < min)
        {
            return $"{at}: must be at least {min} characters";
        }
        if (Count(s, "maxLength") is { } max && text.Length > max)
        {
            return $"{at}: must be at most {max} characters";
        }
        return s["pattern"] is JsonValue p && !Regex(p.GetValue<string>()).IsMatch(text) ? $"{at}: must match {p.GetValue<string>()}" : null;
    }

    private static long? Count(JsonObject s, string key) => s[key] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    private Regex Regex(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var re))
        {
            re = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            _patterns[pattern] = re;
        }
        return re;
    }

    // "#/definitions/a/b" (RFC 6901, with ~0 and ~1) inside this document.
    private JsonNode? Resolve(string reference)
    {
        if (reference == "#")
        {
            return root;
        }
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new FluxException(Errno.EINVAL, $"$ref {reference}: only references within the schema (#/...) are supported");
        }
        JsonNode? node = root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }
        return node ?? throw new FluxException(Errno.EINVAL, $"$ref {reference}: not found in the schema");
    }
}
