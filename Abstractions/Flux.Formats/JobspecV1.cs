// Validation of version 1 jobspec (RFC 25) with the rules of flux-core's jobspec1.c.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Validates RFC 25 version 1 jobspecs as flux-core's <c>flux_jobspec1_check()</c> does. Errors are
/// <see cref="FluxException"/> with EINVAL whose message is <c>path: rule</c>, e.g.
/// <c>resources[0].with[0]: count must be a positive integer</c>.
/// </summary>
public static class JobspecV1
{
    private static readonly string[] TopKeys = ["resources", "tasks", "attributes", "version"];
    // jobspec1.c does not list "exclusive" for a node, but flux run -N emits it and RFC 14 allows it
    // on any vertex, so it is accepted here (as a boolean).
    private static readonly string[] NodeKeys = ["type", "count", "with", "unit", "exclusive"];
    private static readonly string[] SlotKeys = ["type", "count", "with", "label", "exclusive"];
    private static readonly string[] LeafKeys = ["type", "count"];
    private static readonly string[] TaskKeys = ["command", "slot", "count"];

    /// <summary>
    /// Checks <paramref name="jobspec"/> against the version 1 rules: top-level keys exactly resources,
    /// tasks, attributes, version (version 1); one resource vertex of shape slot&gt;core,
    /// node&gt;slot&gt;core, slot&gt;(core,gpu) or node&gt;slot&gt;(core,gpu) with strict key sets and
    /// integer counts (node, slot and core at least 1, gpu at least 0); one task with a non-empty string
    /// array command, a slot label and exactly one of per_slot or total (at least 1); attributes holding
    /// only system (required, non-empty, with a numeric non-negative duration) and user (non-empty if
    /// present); environment and constraints objects, dependencies an array of objects with string scheme
    /// and value, shell.options an object. Throws on the first violation.
    /// </summary>
    public static void Validate(JsonNode jobspec)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        var top = Object(jobspec, "jobspec");
        Keys(top, "jobspec", TopKeys, TopKeys);
        if (!JsonUtil.TryGetInteger(top["version"], out var version) || version != 1)
        {
            throw Fail("version", "must be 1");
        }
        var resources = top["resources"] as JsonArray;
        if (resources is null || resources.Count != 1)
        {
            throw Fail("resources", "must be an array of exactly one resource vertex");
        }
        var vertex = Object(resources[0], "resources[0]");
        switch (Type(vertex, "resources[0]"))
        {
            case "node":
                NodeVertex(vertex, "resources[0]");
                break;
            case "slot":
                SlotVertex(vertex, "resources[0]");
                break;
            default:
                throw Fail("resources[0].type", "must be node or slot");
        }
        Tasks(top["tasks"]);
        Attributes(top["attributes"]);
    }

    /// <summary>Like <see cref="Validate"/> but returns the error text instead of throwing; null when valid.</summary>
    public static string? Check(JsonNode jobspec)
    {
        try
        {
            Validate(jobspec);
            return null;
        }
        catch (FluxException e)
        {
            return e.Message;
        }
    }

    private static void NodeVertex(JsonObject node, string path)
    {
        Keys(node, path, NodeKeys, ["type", "count", "with"]);
        PositiveCount(node, path);
        if (node.ContainsKey("unit") && !JsonUtil.TryGetString(node["unit"], out _))
        {
            throw Fail(path + ".unit", "must be a string");
        }
        if (node.ContainsKey("exclusive") && !JsonUtil.IsBoolean(node["exclusive"]))
        {
            throw Fail(path + ".exclusive", "must be a boolean");
        }
        var with = node["with"] as JsonArray;
        if (with is null || with.Count != 1)
        {
            throw Fail(path + ".with", "must be an array of exactly one slot");
        }
        var slot = Object(with[0], path + ".with[0]");
        if (Type(slot, path + ".with[0]") != "slot")
        {
            throw Fail(path + ".with[0].type", "must be slot");
        }
        SlotVertex(slot, path + ".with[0]");
    }

    private static void SlotVertex(JsonObject slot, string path)
    {
        Keys(slot, path, SlotKeys, ["type", "count", "with", "label"]);
        PositiveCount(slot, path);
        if (!JsonUtil.TryGetString(slot["label"], out _))
        {
            throw Fail(path + ".label", "must be a string");
        }
        if (slot.ContainsKey("exclusive") && !JsonUtil.IsBoolean(slot["exclusive"]))
        {
            throw Fail(path + ".exclusive", "must be a boolean");
        }
        var with = slot["with"] as JsonArray;
        if (with is null || with.Count is < 1 or > 2)
        {
            throw Fail(path + ".with", "must be an array of 1 or 2 resource vertices (core, and optionally gpu)");
        }
        int cores = 0, gpus = 0;
        for (var i = 0; i < with.Count; i++)
        {
            var p = $"{path}.with[{i}]";
            var leaf = Object(with[i], p);
            Keys(leaf, p, LeafKeys, LeafKeys);
            var type = Type(leaf, p);
            if (type is not ("core" or "gpu"))
            {
                throw Fail(p + ".type", "must be core or gpu");
            }
            if (!JsonUtil.TryGetInteger(leaf["count"], out var count) || count < (type == "core" ? 1 : 0) || count > int.MaxValue)
            {
                throw Fail(p, type == "core" ? "count must be a positive integer" : "count must be a non-negative integer");
            }
            if ((type == "core" ? ++cores : ++gpus) > 1)
            {
                throw Fail(p + ".type", $"{type} appears more than once");
            }
        }
        if (cores == 0)
        {
            throw Fail(path + ".with", "must contain a core vertex");
        }
    }

    private static void Tasks(JsonNode? node)
    {
        if (node is not JsonArray tasks || tasks.Count != 1)
        {
            throw Fail("tasks", "must be an array of exactly one task");
        }
        var task = Object(tasks[0], "tasks[0]");
        Keys(task, "tasks[0]", TaskKeys, TaskKeys);
        if (task["command"] is not JsonArray command || command.Count == 0 || command.Any(a => !JsonUtil.TryGetString(a, out _)))
        {
            throw Fail("tasks[0].command", "must be a non-empty array of strings");
        }
        if (!JsonUtil.TryGetString(task["slot"], out _))
        {
            throw Fail("tasks[0].slot", "must be a string");
        }
        var count = Object(task["count"], "tasks[0].count");
        if (count.Count != 1 || !(count.ContainsKey("per_slot") || count.ContainsKey("total")))
        {
            throw Fail("tasks[0].count", "must have exactly one of per_slot or total");
        }
        var (key, value) = count.First();
        if (!JsonUtil.TryGetInteger(value, out var n) || n < 1 || n > int.MaxValue)
        {
            throw Fail("tasks[0].count." + key, "must be a positive integer");
        }
    }

    private static void Attributes(JsonNode? node)
    {
        var attributes = Object(node, "attributes");
        foreach (var (key, value) in attributes)
        {
            if (key is not ("system" or "user"))
            {
                throw Fail("attributes." + key, "unknown section (only system and user are allowed)");
            }
            if (value is not JsonObject section || section.Count == 0)
            {
                throw Fail("attributes." + key, "must be a non-empty object");
            }
        }
        if (attributes["system"] is not JsonObject system)
        {
            throw Fail("attributes.system", "required");
        }
        if (!system.TryGetPropertyValue("duration", out var duration))
        {
            throw Fail("attributes.system.duration", "required");
        }
        if (!JsonUtil.TryGetNumber(duration, out var seconds))
        {
            throw Fail("attributes.system.duration", "must be a number");
        }
        if (seconds < 0)
        {
            throw Fail("attributes.system.duration", "must not be negative");
        }
        foreach (var key in (string[])["environment", "constraints"])
        {
            if (system.TryGetPropertyValue(key, out var v) && v is not JsonObject)
            {
                throw Fail("attributes.system." + key, "must be an object");
            }
        }
        if (system.TryGetPropertyValue("dependencies", out var deps))
        {
            if (deps is not JsonArray list)
            {
                throw Fail("attributes.system.dependencies", "must be an array");
            }
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject dep || !JsonUtil.TryGetString(dep["scheme"], out _) || !JsonUtil.TryGetString(dep["value"], out _))
                {
                    throw Fail($"attributes.system.dependencies[{i}]", "must be an object with string scheme and value");
                }
            }
        }
        if (system.TryGetPropertyValue("shell", out var shell))
        {
            if (shell is not JsonObject shellObject)
            {
                throw Fail("attributes.system.shell", "must be an object");
            }
            if (shellObject.TryGetPropertyValue("options", out var options) && options is not JsonObject)
            {
                throw Fail("attributes.system.shell.options", "must be an object");
            }
        }
    }

    private static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw Fail(path, $"must be an object, not {JsonUtil.Describe(node)}");

    private static string Type(JsonObject vertex, string path) =>
        JsonUtil.TryGetString(vertex["type"], out var type) ? type : throw Fail(path + ".type", "must be a string");

    private static void PositiveCount(JsonObject vertex, string path)
    {
        if (!JsonUtil.TryGetInteger(vertex["count"], out var count) || count < 1 || count > int.MaxValue)
        {
            throw Fail(path, "count must be a positive integer");
        }
    }

    private static void Keys(JsonObject o, string path, string[] allowed, string[] required)
    {
        var prefix = path == "jobspec" ? "" : path + ".";
        foreach (var (key, _) in o)
        {
            if (!allowed.Contains(key))
            {
                throw Fail(prefix + key, $"unknown key (allowed: {string.Join(", ", allowed)})");
            }
        }
        foreach (var key in required)
        {
            if (!o.ContainsKey(key))
            {
                throw Fail(prefix + key, "required");
            }
        }
    }

    private static FluxException Fail(string path, string rule) => new(Errno.EINVAL, $"{path}: {rule}");
}
