// attributes.system.dependencies (RFC 26) checked at submit, as flux-core's jobtap_check_dependencies does.
using System.Text.Json.Nodes;

namespace Flux.Modules.JobManager;

/// <summary>
/// flux-core hands each dependency to the jobtap plugin that handles its scheme
/// (<c>job.dependency.SCHEME</c>) and refuses the job when none does. No dependency plugin exists
/// here yet (<c>.dependency-after</c> comes with the jobtap interface), so every dependency is
/// refused at submit with flux-core's words, rather than accepted and silently ignored: a job that
/// asked to wait for another must never run before it.
/// </summary>
internal static class Dependencies
{
    /// <summary>Why a job's dependencies cannot be honoured, or null when it has none.</summary>
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
        if (list.Count == 0)
        {
            return null;
        }
        // flux-core stops at the first entry it cannot honour; with no plugin, that is the first.
        return list[0]?["scheme"] is JsonValue v && v.TryGetValue(out string? scheme)
            ? $"dependency scheme \"{scheme}\" not supported"
            : "dependency[0] missing string scheme";
    }
}
