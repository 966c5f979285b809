// A jobspec-update event's dotted keys applied to a jobspec tree (RFC 21: "attributes.system.duration": 600).
using System.Text.Json.Nodes;

namespace Flux.Modules.JobManager;

internal static class JobspecUpdates
{
    /// <summary>Sets each dotted path of <paramref name="updates"/> in <paramref name="jobspec"/>, making missing tables; returns it.</summary>
    public static JsonNode Apply(JsonNode jobspec, JsonObject updates)
    {
        foreach (var (path, value) in updates)
        {
            var parts = path.Split('.');
            var node = jobspec.AsObject();
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (node[parts[i]] is not JsonObject next)
                {
                    next = [];
                    node[parts[i]] = next;
                }
                node = next;
            }
            node[parts[^1]] = value?.DeepClone();
        }
        return jobspec;
    }
}
