// What job-list shows from a jobspec (RFC 14/25): name, queue, cwd, task/slot/core/node counts, duration.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Modules.JobList;

/// <summary>
/// The listing fields derived from a jobspec, as flux-core's job-list derives them: the name is
/// <c>attributes.system.job.name</c> or the basename of <c>command[0]</c>; counts come from the
/// resource tree (node → slot → core), where a count object means its <c>min</c>; ntasks is
/// <c>tasks[0].count.total</c>, else slots × <c>per_slot</c>, unless the <c>per-resource</c> shell
/// option says otherwise. A malformed jobspec yields whatever fields could be read.
/// </summary>
internal sealed class JobspecSummary
{
    public string? Name { get; private set; }

    public string? Queue { get; private set; }

    public string? Cwd { get; private set; }

    public string? Project { get; private set; }

    public string? Bank { get; private set; }

    /// <summary>Seconds; 0 means unset, -1 unknown.</summary>
    public double Duration { get; private set; } = -1;

    /// <summary>Nodes requested, or -1 when the jobspec asks for none explicitly.</summary>
    public int NNodes { get; private set; } = -1;

    public int NTasks { get; private set; } = -1;

    public int NCores { get; private set; } = -1;

    /// <summary>Tasks per allocated core when the count depends on R (per-resource type=core with nodes).</summary>
    public int TasksPerCoreOnNodes { get; private set; }

    public static JobspecSummary Parse(JsonObject jobspec)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        var s = new JobspecSummary();
        var system = jobspec["attributes"]?["system"] as JsonObject;
        var tasks = jobspec["tasks"] as JsonArray;
        s.Name = Str(system?["job"]?["name"]) ?? NameFromCommand(tasks);
        s.Queue = Str(system?["queue"]);
        s.Cwd = Str(system?["cwd"]);
        s.Project = Str(system?["project"]);
        s.Bank = Str(system?["bank"]);
        s.Duration = Num(system?["duration"]) ?? 0;
        long nnodes = 0, nslots = 0, slotSize = 0;
        if (jobspec["resources"] is JsonArray resources)
        {
            Walk(resources, 1, inSlot: false, ref nnodes, ref nslots, ref slotSize);
        }
        if (nnodes > 0)
        {
            s.NNodes = (int)nnodes;
        }
        if (nslots > 0)
        {
            s.NCores = (int)(nslots * Math.Max(slotSize, 0));
        }
        s.NTasks = CountTasks(system, tasks, nnodes, nslots, slotSize, s);
        return s;
    }

    private static int CountTasks(JsonObject? system, JsonArray? tasks, long nnodes, long nslots, long slotSize, JobspecSummary s)
    {
        // The per-resource shell option overrides the task count (flux-core job-list does the same).
        if (system?["shell"]?["options"]?["per-resource"] is JsonObject per && Str(per["type"]) is { } type)
        {
            var count = (int)(Num(per["count"]) ?? 1);
            if (count > 0 && type == "node" && nnodes > 0)
            {
                return (int)(nnodes * count);
            }
            if (count > 0 && type == "core")
            {
                if (nnodes == 0)
                {
                    return (int)(nslots * slotSize * count);
                }
                s.TasksPerCoreOnNodes = count;
                return -1;
            }
        }
        var countObj = (tasks is { Count: > 0 } ? tasks[0] : null)?["count"] as JsonObject;
        if (Num(countObj?["total"]) is { } total)
        {
            return (int)total;
        }
        if (nslots <= 0)
        {
            return -1;
        }
        var perSlot = Num(countObj?["per_slot"]) ?? 1;
        return (int)(nslots * perSlot);
    }

    // Multiplies counts down the tree: nodes above the slot, slots, and cores inside one slot.
    private static void Walk(JsonArray vertices, long multiplier, bool inSlot, ref long nnodes, ref long nslots, ref long slotSize)
    {
        foreach (var v in vertices)
        {
            if (v is not JsonObject o)
            {
                continue;
            }
            var type = Str(o["type"]);
            var count = Count(o["count"]);
            var with = o["with"] as JsonArray;
            switch (type)
            {
                case "node" when !inSlot:
                    nnodes += multiplier * count;
                    if (with is not null)
                    {
                        Walk(with, multiplier * count, inSlot, ref nnodes, ref nslots, ref slotSize);
                    }
                    break;
                case "slot":
                    nslots += multiplier * count;
                    if (with is not null)
                    {
                        long cores = 0, ignoredNodes = 0, ignoredSlots = 0;
                        Walk(with, 1, inSlot: true, ref ignoredNodes, ref ignoredSlots, ref cores);
                        slotSize = Math.Max(slotSize, cores);
                    }
                    break;
                case "core" when inSlot:
                    slotSize += multiplier * count;
                    break;
                default:
                    if (with is not null)
                    {
                        Walk(with, multiplier * count, inSlot, ref nnodes, ref nslots, ref slotSize);
                    }
                    break;
            }
        }
    }

    private static long Count(JsonNode? count) => count switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long n) => n,
        JsonObject o when Num(o["min"]) is { } min => (long)min,
        _ => 1,
    };

    private static string? NameFromCommand(JsonArray? tasks)
    {
        if (tasks is not { Count: > 0 } || tasks[0]?["command"] is not JsonArray { Count: > 0 } command || Str(command[0]) is not { } arg0)
        {
            return null;
        }
        // The basename, unless the path ends with '/' (then the whole path, as flux-core does).
        var slash = arg0.LastIndexOf('/');
        return slash < 0 || slash == arg0.Length - 1 ? arg0 : arg0[(slash + 1)..];
    }

    internal static string? Str(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static double? Num(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
}
