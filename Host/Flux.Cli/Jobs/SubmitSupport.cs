// What flux submit/run refuse before submitting: options and attributes that nothing in this build acts on.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Shell;

namespace Flux.Cli.Jobs;

/// <summary>
/// A job must never be accepted with a setting that silently does nothing. Shell options are checked
/// against what the job shell reads (<see cref="ShellOptions"/>); <c>attributes.system</c> keys against
/// the components that read them: <c>duration</c> (ingest policy, scheduler, exec), <c>queue</c>
/// (ingest, job-manager), <c>cwd</c>, <c>environment</c> and <c>shell</c> (shell), <c>job.name</c>
/// (listings), <c>constraints</c> (scheduler), <c>exec.test</c> (testexec), <c>bank</c> and
/// <c>project</c> (recorded and listed), and <c>dependencies</c>, which the job manager refuses with
/// flux-core's words until a dependency plugin exists. <c>attributes.user</c> is the user's own.
/// </summary>
internal static class SubmitSupport
{
    private static readonly Dictionary<string, string[]?> SystemKeys = new(StringComparer.Ordinal)
    {
        ["duration"] = null,
        ["queue"] = null,
        ["cwd"] = null,
        ["environment"] = null,
        ["shell"] = ["options"],
        ["job"] = ["name"],
        ["constraints"] = null,
        ["dependencies"] = null,
        ["exec"] = ["test"],
        ["bank"] = null,
        ["project"] = null,
    };

    private static readonly string[] TestexecKeys = ["run_duration", "wait_status"];

    /// <summary>Throws EINVAL naming the first setting that would be ignored.</summary>
    public static void Check(JsonObject jobspec, SubmitFlags flags)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        if ((flags & SubmitFlags.Debug) != 0)
        {
            throw NotYet("--flags=debug");
        }
        var system = jobspec["attributes"]?["system"] as JsonObject ?? [];
        foreach (var (key, value) in system)
        {
            if (!SystemKeys.TryGetValue(key, out var children))
            {
                throw NotYet($"--setattr system.{key}");
            }
            if (children is not null && value is JsonObject o && o.Select(kv => kv.Key).FirstOrDefault(k => !children.Contains(k)) is { } child)
            {
                throw NotYet($"--setattr system.{key}.{child}");
            }
        }
        if (system["exec"]?["test"] is JsonObject test && test.Select(kv => kv.Key).FirstOrDefault(k => !TestexecKeys.Contains(k)) is { } testKey)
        {
            throw NotYet($"--setattr system.exec.test.{testKey}");
        }
        if (ShellOptions.Unsupported(system["shell"]?["options"] as JsonObject) is var (name, why))
        {
            throw new FluxException(Errno.EINVAL, $"-o {name}: {why}");
        }
    }

    private static FluxException NotYet(string what) => new(Errno.EINVAL, $"{what}: not supported yet");
}
