// The canonical RFC 14 jobspec rules flux-core's Jobspec class checks (flux job validate --require-version=any).
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>
/// flux-core's <c>flux.job.Jobspec</c> validation (src/bindings/python/flux/job/Jobspec.py), for
/// jobspecs of any version: top-level keys, resource vertices at every depth, tasks, attributes.
/// Errors are EINVAL with flux-core's words, e.g. <c>slots must have labels</c>.
/// </summary>
internal static class CanonicalJobspec
{
    private static readonly string[] TopLevel = ["resources", "tasks", "attributes", "version"];

    public static void Validate(JsonObject js)
    {
        foreach (var (key, _) in js)
        {
            if (Array.IndexOf(TopLevel, key) < 0)
            {
                throw Fail($"invalid key '{key}' (accepted: {string.Join(", ", TopLevel)})");
            }
        }
        foreach (var key in new[] { "resources", "tasks" })
        {
            if (!js.ContainsKey(key))
            {
                throw Fail($"missing required key '{key}'");
            }
        }
        if (js["version"] is not { } version)
        {
            throw Fail("version must be set");
        }
        if (js["resources"] is not JsonArray resources)
        {
            throw Fail("resources must be a sequence");
        }
        if (js["tasks"] is not JsonArray tasks)
        {
            throw Fail("tasks must be a sequence");
        }
        if (!IsInt(version))
        {
            throw Fail("version must be an integer");
        }
        if (js["attributes"] is not JsonObject attributes)
        {
            throw Fail("attributes must be a mapping");
        }
        if (version.GetValue<long>() < 1)
        {
            throw Fail("version must be >= 1");
        }
        foreach (var res in resources)
        {
            Resource(res);
        }
        foreach (var task in tasks)
        {
            Task(task);
        }
        foreach (var (key, _) in attributes)
        {
            if (key is not ("system" or "user"))
            {
                throw Fail($"invalid key '{key}' in attributes (accepted: system, user)");
            }
        }
        if (attributes["system"] is JsonObject system && system.ContainsKey("dependencies") && system["dependencies"] is not JsonArray)
        {
            throw Fail("attributes.system.dependencies must be a list");
        }
    }

    private static void Resource(JsonNode? node)
    {
        if (node is not JsonObject res)
        {
            throw Fail("resource must be a mapping");
        }
        if (res["type"] is not { } type)
        {
            throw Fail("type is a required key for resources");
        }
        if (type.GetValueKind() != JsonValueKind.String)
        {
            throw Fail("type must be a string");
        }
        var t = type.GetValue<string>();
        if (!res.ContainsKey("count"))
        {
            throw Fail("count is a required key for resources");
        }
        switch (res["count"])
        {
            case JsonObject range:
                Range(range);
                break;
            case { } c when IsInt(c):
                var n = c.GetValue<long>();
                if (t is "node" or "slot" or "core" && n < 1)
                {
                    throw Fail("node or slot count must be > 0");
                }
                if (n < 0)
                {
                    throw Fail("count must be >= 0");
                }
                break;
            default:
                throw Fail("count must be an int or mapping");
        }
        foreach (var key in new[] { "id", "unit", "label" })
        {
            if (res.ContainsKey(key) && res[key]?.GetValueKind() != JsonValueKind.String)
            {
                throw Fail($"{key} must be a string");
            }
        }
        if (res.ContainsKey("exclusive") && res["exclusive"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Fail("exclusive must be a boolean");
        }
        if (t == "slot" && !res.ContainsKey("label"))
        {
            throw Fail("slots must have labels");
        }
        if (res.ContainsKey("with"))
        {
            if (res["with"] is not JsonArray with)
            {
                throw Fail("with must be a sequence");
            }
            foreach (var child in with)
            {
                Resource(child);
            }
        }
    }

    private static void Range(JsonObject range)
    {
        if (!range.ContainsKey("min"))
        {
            throw Fail("min must be in range");
        }
        foreach (var (key, _) in range)
        {
            if (key is not ("min" or "max" or "operator" or "operand"))
            {
                throw Fail($"invalid key '{key}' in count (accepted: min, max, operator, operand)");
            }
        }
        foreach (var key in new[] { "min", "max", "operand" })
        {
            if (!range.ContainsKey(key))
            {
                continue;
            }
            if (range[key] is not { } v || !IsInt(v))
            {
                throw Fail($"{key} must be an int");
            }
            if (v.GetValue<long>() < 1)
            {
                throw Fail($"{key} must be > 0");
            }
        }
        if (range.ContainsKey("operator") && !(range["operator"] is JsonValue o && o.GetValueKind() == JsonValueKind.String && o.GetValue<string>() is "+" or "*" or "^"))
        {
            throw Fail("operator must be one of ['+', '*', '^']");
        }
    }

    private static void Task(JsonNode? node)
    {
        if (node is not JsonObject task)
        {
            throw Fail("task must be a mapping");
        }
        foreach (var key in new[] { "command", "slot", "count" })
        {
            if (!task.ContainsKey(key))
            {
                throw Fail($"missing required key '{key}' in task");
            }
        }
        if (task["count"] is not JsonObject count)
        {
            throw Fail("count must be a mapping");
        }
        foreach (var key in new[] { "total", "per_slot" })
        {
            if (!count.ContainsKey(key))
            {
                continue;
            }
            if (count[key] is not { } v || !IsInt(v))
            {
                throw Fail($"count {key} must be an int");
            }
            if (v.GetValue<long>() <= 0)
            {
                throw Fail($"count {key} must be > 0");
            }
        }
        if (task["slot"]?.GetValueKind() != JsonValueKind.String)
        {
            throw Fail("slot must be a string");
        }
        if (task.ContainsKey("attributes") && task["attributes"] is not JsonObject)
        {
            throw Fail("attributes must be a mapping");
        }
        if (task["command"] is JsonArray { Count: 0 })
        {
            throw Fail("command array cannot have length of zero");
        }
        if (task["command"] is not JsonArray command || command.Any(a => a?.GetValueKind() != JsonValueKind.String))
        {
            throw Fail("command must be a list of strings");
        }
    }

    private static bool IsInt(JsonNode n) =>
        n.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<long>(out _);

    private static FluxException Fail(string what) => new(Errno.EINVAL, what);
}
