// attributes.system.dependencies (RFC 26): the shape checked at submit, as flux-core's jobtap_check_dependencies does.
using System.Text.Json.Nodes;

namespace Flux.Modules.JobManager;

/// <summary>
/// flux-core checks the dependencies array's shape before it hands each entry to the jobtap
/// plugin that handles its scheme (<c>job.dependency.SCHEME</c>, JobtapRefusal). A malformed
/// array is refused with flux-core's words rather than ignored: a job that asked to wait for
/// another must never run before it.
/// </summary>
internal static class DependencyShape
{
    /// <summary>Why attributes.system.dependencies is malformed, or null when it is absent or well formed.</summary>
    public static string? Refusal(JsonNode? system)
    {
        if (system is not JsonObject sys || !sys.TryGetPropertyValue("dependencies", out var deps) || deps is null)
        {
            return null;
        }
        if (deps is not JsonArray list)
        {
            return "dependencies object must be an array";
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i]?["scheme"] is not JsonValue v || !v.TryGetValue(out string? _))
            {
                return $"dependency[{i}] missing string scheme";
            }
        }
        return null;
    }
}
