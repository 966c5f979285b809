// flux jobs --json: a job as flux-core's JobInfo.to_dict() presents it (unset values left out).
using System.Text.Json.Nodes;

namespace Flux.Cli.Jobs;

internal static class JobJson
{
    // JobInfo.defaults then JobInfo.properties, in flux-core's order.
    private static readonly string[] Keys =
    [
        "t_depend", "t_run", "t_cleanup", "t_inactive", "duration", "expiration", "name", "cwd", "queue",
        "project", "bank", "ntasks", "ncores", "nnodes", "priority", "ranks", "nodelist", "success", "result",
        "waitstatus", "id", "t_submit", "t_remaining", "state", "username", "userid", "urgency", "runtime",
        "status", "returncode",
    ];

    /// <summary>
    /// The job as a JSON object: ids and counts as numbers, times as floats, state and result by name,
    /// dependencies as a list, annotations as an object, and exception as
    /// <c>{occurred, severity, type, note}</c> (just <c>{occurred: false}</c> when none). Empty values,
    /// and times, runtime and expiration that are 0, are left out.
    /// </summary>
    public static JsonObject ToDict(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var o = new JsonObject();
        foreach (var key in Keys)
        {
            var value = key == "id" ? job.Id : job.Get(key);
            JsonNode? node = value switch
            {
                string s when s.Length == 0 => null,
                string s => s,
                bool b => b,
                long l => l,
                ulong u => u,
                double d when d == 0 && (key.StartsWith("t_", StringComparison.Ordinal) || key is "runtime" or "expiration") => null,
                double d => d,
                _ => null,
            };
            if (node is not null)
            {
                o[key] = node;
            }
        }
        o["dependencies"] = new JsonArray([.. job.Dependencies.Select(d => (JsonNode)d)]);
        o["annotations"] = job.Json["annotations"]?.DeepClone() ?? new JsonObject();
        var exception = new JsonObject { ["occurred"] = job.Get("exception.occurred") is true };
        if (job.Get("exception.occurred") is true)
        {
            exception["severity"] = job.Get("exception.severity") is long sev ? sev : null;
            exception["type"] = job.Get("exception.type") as string;
            exception["note"] = job.Get("exception.note") as string;
        }
        o["exception"] = exception;
        return o;
    }
}
