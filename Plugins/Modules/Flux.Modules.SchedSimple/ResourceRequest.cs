// What a version 1 jobspec (RFC 25) asks of the scheduler: nodes, slots, cores and GPUs per slot, exclusivity, duration, RFC 31 constraints.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Modules.SchedSimple;

/// <summary>
/// A resource request read from jobspec, as flux-core's Python scheduler reads it: <c>slot</c> or
/// <c>node&gt;slot</c> with <c>core</c> and optionally <c>gpu</c> children. With a node count,
/// <see cref="NSlots"/> is the total over all nodes; <c>exclusive</c> on the top vertex asks for whole
/// nodes, and an exclusive slot-only request takes one whole node per slot.
/// </summary>
/// <param name="NNodes">Nodes required (0 when slots may be placed anywhere).</param>
/// <param name="NSlots">Total slots.</param>
/// <param name="SlotCores">Cores per slot (at least 1).</param>
/// <param name="SlotGpus">GPUs per slot.</param>
/// <param name="Exclusive">Whether whole nodes are allocated.</param>
/// <param name="Duration">attributes.system.duration in seconds; 0 when unset.</param>
/// <param name="Constraint">attributes.system.constraints (RFC 31), or null.</param>
internal sealed record ResourceRequest(int NNodes, int NSlots, int SlotCores, int SlotGpus, bool Exclusive, double Duration, JsonObject? Constraint)
{
    /// <summary>Slots on each node of a node request.</summary>
    public int SlotsPerNode => NNodes > 0 ? NSlots / NNodes : 0;

    /// <summary>Parses a jobspec; throws EINVAL with the reason when it cannot be scheduled as written.</summary>
    public static ResourceRequest Parse(JsonNode? jobspec)
    {
        if (jobspec is not JsonObject top)
        {
            throw Fail("jobspec must be an object");
        }
        if (!Integer(top["version"], out var version) || version != 1)
        {
            throw Fail("only version 1 jobspec is supported");
        }
        if (top["resources"] is not JsonArray { Count: > 0 } resources || resources[0] is not JsonObject vertex)
        {
            throw Fail("resources must be a non-empty array of resource vertices");
        }
        var type = TypeOf(vertex, "resources[0]");
        var exclusive = Bool(vertex, "resources[0]");
        int nnodes = 0, nslots;
        JsonObject slot;
        if (type == "node")
        {
            nnodes = Count(vertex, "resources[0]", 1);
            slot = vertex["with"] is JsonArray { Count: 1 } w && w[0] is JsonObject s && TypeOf(s, "resources[0].with[0]") == "slot"
                ? s
                : throw Fail("resources[0].with must hold exactly one slot");
            var total = (long)nnodes * Count(slot, "resources[0].with[0]", 1);
            nslots = total <= int.MaxValue ? (int)total : throw Fail("too many slots");
        }
        else if (type == "slot")
        {
            slot = vertex;
            nslots = Count(slot, "resources[0]", 1);
        }
        else
        {
            throw Fail($"resources[0].type must be node or slot, not '{type}'");
        }
        int cores = 0, gpus = 0;
        if (slot["with"] is not JsonArray children || children.Count == 0)
        {
            throw Fail("a slot must contain a core vertex");
        }
        foreach (var child in children)
        {
            if (child is not JsonObject c)
            {
                throw Fail("slot children must be objects");
            }
            switch (TypeOf(c, "slot child"))
            {
                case "core":
                    cores = Count(c, "core", 1);
                    break;
                case "gpu":
                    gpus = Count(c, "gpu", 0);
                    break;
                case var other:
                    throw Fail($"unsupported slot child type '{other}' (only core and gpu)");
            }
        }
        if (cores == 0)
        {
            throw Fail("a slot must contain a core vertex");
        }
        if (exclusive && nnodes == 0)
        {
            nnodes = nslots;
        }
        var system = (top["attributes"] as JsonObject)?["system"] as JsonObject;
        double duration = 0;
        if (system?["duration"] is { } d)
        {
            duration = d is JsonValue dv && dv.GetValueKind() == JsonValueKind.Number && dv.GetValue<double>() is var x and >= 0 && double.IsFinite(x)
                ? x
                : throw Fail("attributes.system.duration must be a non-negative number");
        }
        JsonObject? constraint = null;
        if (system?["constraints"] is { } cn)
        {
            constraint = cn as JsonObject ?? throw Fail("attributes.system.constraints must be an object");
            Constraints.Validate(constraint);
        }
        return new ResourceRequest(nnodes, nslots, cores, gpus, exclusive, duration, constraint);
    }

    private static string TypeOf(JsonObject vertex, string path) =>
        vertex["type"] is JsonValue v && v.TryGetValue(out string? t) ? t : throw Fail($"{path}.type must be a string");

    private static bool Bool(JsonObject vertex, string path) => vertex["exclusive"] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Fail($"{path}.exclusive must be a boolean"),
    };

    private static int Count(JsonObject vertex, string path, int min) =>
        Integer(vertex["count"], out var n) && n >= min && n <= int.MaxValue
            ? (int)n
            : throw Fail($"{path}: count must be an integer >= {min}");

    private static bool Integer(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    private static FluxException Fail(string text) => new(Errno.EINVAL, "invalid jobspec: " + text);
}
