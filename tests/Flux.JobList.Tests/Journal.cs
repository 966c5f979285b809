// Builders for job-manager journal entries and jobspecs (RFC 21 events, RFC 25 jobspec, RFC 20 R).
using System.Text.Json.Nodes;

namespace Flux.JobList.Tests;

internal static class Journal
{
    public const uint Owner = 1000;

    public static JsonObject Ev(string name, double timestamp, JsonObject? context = null)
    {
        var e = new JsonObject { ["timestamp"] = timestamp, ["name"] = name };
        if (context is not null)
        {
            e["context"] = context;
        }
        return e;
    }

    public static JsonObject Entry(ulong id, params JsonObject[] events) =>
        new() { ["id"] = id, ["events"] = new JsonArray([.. events]) };

    public static JsonObject Submit(double t, uint userid = Owner, int urgency = 16) =>
        Ev("submit", t, new JsonObject { ["urgency"] = urgency, ["userid"] = userid, ["flags"] = 0, ["version"] = 1 });

    /// <summary>A job submitted at <paramref name="t"/> that reached SCHED with a priority.</summary>
    public static JsonObject Pending(ulong id, double t, long priority = 16, uint userid = Owner, string command = "sleep", string? queue = null, int ntasks = 1)
    {
        var e = Entry(id, Submit(t, userid), Ev("validate", t + 0.1), Ev("depend", t + 0.2), Ev("priority", t + 0.3, new JsonObject { ["priority"] = priority }));
        e["jobspec"] = Jobspec(command, ntasks: ntasks, queue: queue);
        return e;
    }

    public static JsonObject Jobspec(string command = "sleep", int ntasks = 1, int nodes = 0, string? queue = null, double duration = 0, string? name = null)
    {
        var slot = new JsonObject
        {
            ["type"] = "slot",
            ["count"] = nodes > 0 ? 1 : ntasks,
            ["label"] = "task",
            ["with"] = new JsonArray(new JsonObject { ["type"] = "core", ["count"] = 1 }),
        };
        JsonObject resource = nodes > 0
            ? new JsonObject { ["type"] = "node", ["count"] = nodes, ["with"] = new JsonArray(slot) }
            : slot;
        var system = new JsonObject { ["duration"] = duration, ["cwd"] = "/tmp" };
        if (queue is not null)
        {
            system["queue"] = queue;
        }
        if (name is not null)
        {
            system["job"] = new JsonObject { ["name"] = name };
        }
        return new JsonObject
        {
            ["version"] = 1,
            ["resources"] = new JsonArray(resource),
            ["tasks"] = new JsonArray(new JsonObject
            {
                ["command"] = new JsonArray("/usr/bin/" + command, "10"),
                ["slot"] = "task",
                ["count"] = new JsonObject { ["per_slot"] = 1 },
            }),
            ["attributes"] = new JsonObject { ["system"] = system },
        };
    }

    /// <summary>R for ranks 0..n-1 on hosts node0..node(n-1), <paramref name="cores"/> cores each.</summary>
    public static JsonObject R(int nodes, int cores = 1, double expiration = 0)
    {
        var coreSet = cores == 1 ? "0" : $"0-{cores - 1}";
        return new JsonObject
        {
            ["version"] = 1,
            ["execution"] = new JsonObject
            {
                ["R_lite"] = new JsonArray(new JsonObject
                {
                    ["rank"] = nodes == 1 ? "0" : $"0-{nodes - 1}",
                    ["children"] = new JsonObject { ["core"] = coreSet },
                }),
                ["nodelist"] = new JsonArray(nodes == 1 ? "node0" : $"node[0-{nodes - 1}]"),
                ["starttime"] = 0,
                ["expiration"] = expiration,
            },
        };
    }
}
