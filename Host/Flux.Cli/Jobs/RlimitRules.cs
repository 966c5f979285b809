// flux run/submit --rlimit=RULE: which of this process's soft limits a job's tasks get (the rlimit shell option), as flux-core's CLI.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Cli.Jobs;

/// <summary>
/// flux-core's <c>get_filtered_rlimits</c>: every soft limit of the submitting process is propagated
/// except memlock, ofile, msgqueue, nice, rtprio, rttime and sigpending; then each rule in order:
/// <c>-PATTERN</c> drops the matching limits, <c>PATTERN</c> adds this process's value of the matching
/// ones, <c>NAME=VALUE</c> sets one (an integer, or unlimited/infinity/inf). Rules may be given
/// comma-separated. Unlimited is -1, as Python's RLIM_INFINITY.
/// </summary>
internal static class RlimitRules
{
    // The limits Python's resource module names on Linux (RLIMIT_*), which flux-core's CLI starts from, with their kernel number.
    private static readonly (string Name, int Resource)[] Known =
    [
        ("cpu", 0), ("fsize", 1), ("data", 2), ("stack", 3), ("core", 4), ("rss", 5), ("nproc", 6), ("nofile", 7),
        ("memlock", 8), ("as", 9), ("sigpending", 11), ("msgqueue", 12), ("nice", 13), ("rtprio", 14), ("rttime", 15),
    ];

    private static readonly string[] Defaults = ["-memlock", "-ofile", "-msgqueue", "-nice", "-rtprio", "-rttime", "-sigpending"];

    /// <summary>The rlimit shell option for these rules; <paramref name="current"/> gives a limit's soft value by kernel number (-1 unlimited).</summary>
    public static JsonObject Build(IEnumerable<string> rules, Func<int, long> current)
    {
        // A JsonObject keeps the order limits were added in, as flux-core's dict does.
        var limits = new JsonObject();
        foreach (var (name, resource) in Known)
        {
            limits[name] = current(resource);
        }
        foreach (var rule in Defaults.Concat(rules.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))))
        {
            if (rule.StartsWith('-'))
            {
                var pattern = rule[1..].ToLowerInvariant();
                foreach (var key in limits.Select(kv => kv.Key).Where(k => Glob.IsMatch(pattern, k)).ToList())
                {
                    limits.Remove(key);
                }
                continue;
            }
            var eq = rule.IndexOf('=', StringComparison.Ordinal);
            var ruleName = (eq < 0 ? rule : rule[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                var matched = Known.Where(k => Glob.IsMatch(ruleName, k.Name)).ToList();
                if (matched.Count == 0)
                {
                    throw new UsageException($"--rlimit: no limit matches \"{ruleName}\" (limits: {string.Join(", ", Known.Select(k => k.Name))})");
                }
                foreach (var (name, resource) in matched)
                {
                    limits[name] = current(resource);
                }
                continue;
            }
            if (!Known.Any(k => k.Name == ruleName))
            {
                throw new UsageException($"--rlimit: invalid rlimit \"{ruleName}\" (limits: {string.Join(", ", Known.Select(k => k.Name))})");
            }
            var text = rule[(eq + 1)..];
            limits[ruleName] = text is "unlimited" or "infinity" or "inf"
                ? -1
                : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new UsageException($"--rlimit: invalid value in {ruleName}={text} (an integer, or unlimited)");
        }
        return limits;
    }

    /// <summary>This process's soft limit of a kernel resource number, from /proc/self/limits (-1 unlimited or unknown).</summary>
    public static long Current(int resource)
    {
        _rows ??= File.ReadAllLines("/proc/self/limits");
        var row = resource + 1 < _rows.Length && _rows[resource + 1].Length > 26 ? _rows[resource + 1][26..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return row.Length > 0 && long.TryParse(row[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    private static string[]? _rows;
}
