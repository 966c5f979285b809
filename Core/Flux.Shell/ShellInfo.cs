// What the job shell derives from jobspec and R before starting tasks: counts, task map, cwd,
// environment, options (flux-shell(1), flux-shell-options(7)).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Shell;

public sealed class ShellInfo
{
    private ShellInfo(ulong id, uint userid, JsonObject jobspec, Rv1 r)
    {
        Id = id;
        UserId = userid;
        Jobspec = jobspec;
        R = r;
        var sys = jobspec["attributes"]?["system"] as JsonObject;
        Options = sys?["shell"]?["options"] as JsonObject ?? [];
        Cwd = sys?["cwd"]?.GetValue<string>() ?? "/";
        var task = jobspec["tasks"]?[0] ?? throw new FluxException(Errno.EPROTO, "jobspec has no tasks");
        Command = [.. (task["command"] as JsonArray ?? []).Select(a => a!.GetValue<string>())];
        Name = sys?["job"]?["name"]?.GetValue<string>() ?? (Command.Count > 0 ? Path.GetFileName(Command[0]) : "job");
        Environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sys?["environment"] is JsonObject env)
        {
            foreach (var (k, v) in env)
            {
                if (v is not null)
                {
                    Environment[k] = v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                }
            }
        }
        NNodes = Math.Max(1, r.NodeCount);
        Slots = SlotCount(jobspec);
        var count = task["count"];
        NTasks = count?["total"]?.GetValue<int>() ?? (count?["per_slot"]?.GetValue<int>() ?? 1) * Slots;
    }

    public ulong Id { get; }

    public uint UserId { get; }

    public JsonObject Jobspec { get; }

    public Rv1 R { get; }

    public JsonObject Options { get; }

    public string Cwd { get; }

    public IReadOnlyList<string> Command { get; }

    public string Name { get; }

    public Dictionary<string, string> Environment { get; }

    public int NNodes { get; }

    public int Slots { get; }

    public int NTasks { get; }

    public string Service => $"{UserId}-shell-{Id}";

    public static ShellInfo Create(ulong id, uint userid, JsonObject jobspec, JsonObject? r)
    {
        var rv1 = r is null ? Rv1.Encode(IdSet.Parse("0"), IdSet.Parse("0"), null, null) : Rv1.Parse(r);
        return new ShellInfo(id, userid, jobspec, rv1);
    }

    /// <summary>A shell option by dotted name (output.stdout.type), or null.</summary>
    public JsonNode? Option(string dotted)
    {
        JsonNode? n = Options;
        foreach (var part in dotted.Split('.'))
        {
            if (n is not JsonObject o || !o.TryGetPropertyValue(part, out n))
            {
                return null;
            }
        }
        return n;
    }

    public bool Flag(string dotted) => Option(dotted) is { } n && n.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.Number => n.GetValue<double>() != 0,
        System.Text.Json.JsonValueKind.String => n.GetValue<string>() is not ("" or "0" or "false"),
        _ => false,
    };

    /// <summary>
    /// The job's task map (RFC 34): the block map of <see cref="TaskCounts"/> changed by the
    /// <c>taskmap</c> option. Throws EINVAL when that option cannot be applied.
    /// </summary>
    public TaskMap Map => _map ??= Flux.Shell.TaskMap.ForJob(TaskCounts(), Option("taskmap"));

    private TaskMap? _map;

    /// <summary>The RFC 34 <c>map</c> array of <see cref="Map"/>, as the shell.start event carries it.</summary>
    public JsonArray TaskMap() => Flux.Shell.TaskMap.Encode(Map);

    /// <summary>
    /// How many tasks each node of R runs (rcalc): the node's slots are its cores over the cores of
    /// one slot; the tasks are spread over all slots in node order, the first slots taking one more
    /// when they do not divide evenly. Without cores to go by, the tasks are spread over the nodes.
    /// </summary>
    public IReadOnlyList<int> TaskCounts()
    {
        var perSlot = Math.Max(1, CoresPerSlot(Jobspec));
        var slots = R.Nodes.Select(n => (int)(n.Cores.Count / perSlot)).ToArray();
        if (slots.Length == 0 || slots.Any(s => s == 0))
        {
            slots = [.. Enumerable.Repeat(1, NNodes)];
        }
        var total = slots.Sum();
        var counts = new int[slots.Length];
        var slot = 0;
        for (var node = 0; node < slots.Length; node++)
        {
            for (var i = 0; i < slots[node]; i++, slot++)
            {
                counts[node] += (NTasks / total) + (slot < NTasks % total ? 1 : 0);
            }
        }
        return counts;
    }

    private static int CoresPerSlot(JsonObject jobspec)
    {
        static int Cores(JsonArray? list) => (list ?? []).OfType<JsonObject>().Sum(v =>
            (v["count"] is JsonValue c && c.TryGetValue(out int n) ? n : 1) * (v["type"]?.GetValue<string>() == "core" ? 1 : Cores(v["with"] as JsonArray)));
        static JsonObject? Slot(JsonArray? list) => (list ?? []).OfType<JsonObject>()
            .Select(v => v["type"]?.GetValue<string>() == "slot" ? v : Slot(v["with"] as JsonArray)).FirstOrDefault(s => s is not null);
        return Slot(jobspec["resources"] as JsonArray) is { } slot ? Cores(slot["with"] as JsonArray) : 1;
    }

    private static int SlotCount(JsonObject jobspec)
    {
        var total = 0;
        void Walk(JsonArray? list, int mult)
        {
            foreach (var v in (list ?? []).OfType<JsonObject>())
            {
                var count = v["count"] is JsonValue c && c.TryGetValue(out int n) ? n : 1;
                if (v["type"]?.GetValue<string>() == "slot")
                {
                    total += mult * count;
                }
                else
                {
                    Walk(v["with"] as JsonArray, mult * count);
                }
            }
        }
        Walk(jobspec["resources"] as JsonArray, 1);
        return Math.Max(1, total);
    }
}
