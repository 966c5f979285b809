// The environment of a prolog, epilog or housekeeping run: the broker's own, plus the job's variables.
using System.Collections;

namespace Flux.SystemScripts;

/// <summary>
/// flux-core starts these commands with the broker's environment and sets FLUX_JOB_ID,
/// FLUX_JOB_USERID and FLUX_URI (the local broker) on top; the entries given here replace the
/// broker's of the same name.
/// </summary>
public static class ScriptEnvironment
{
    /// <summary>The broker's environment with <paramref name="set"/> applied, as "NAME=value" entries.</summary>
    public static IReadOnlyList<string> Build(IReadOnlyDictionary<string, string> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = (string?)e.Value ?? string.Empty;
        }
        foreach (var (k, v) in set)
        {
            env[k] = v;
        }
        return [.. env.Select(kv => kv.Key + "=" + kv.Value)];
    }
}
