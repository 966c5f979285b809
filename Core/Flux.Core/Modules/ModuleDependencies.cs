// Which built-in modules need which others loaded: rc1 loads the independent ones side by side,
// and shutdown removes them side by side, always after (or before) the modules they need.
namespace Flux.Core.Modules;

/// <summary>
/// The built-in modules' needs, as rc1's order encodes them: a module waits, at load, only for the
/// modules it talks to while it loads and serves, and is removed before them. A module this table does
/// not know (a site's, or a plugin package's) keeps the sequential order: it waits for every module
/// listed before it, every module listed after it waits for it, and it is removed alone.
/// </summary>
internal static class ModuleDependencies
{
    // content-sqlite registers with content as its backing store; kvs reads its root through content
    // (and so through the backing store); resource writes R to the KVS; job-manager replays the KVS,
    // and its .validate-duration plugin watches resource.R through kvs-watch (created or not yet);
    // job-info follows eventlogs through kvs-watch; job-list, job-ingest and job-exec read or write
    // the KVS and talk to job-manager; sched-simple acquires from resource and says hello to job-manager.
    private static readonly Dictionary<string, string[]> Needs = new(StringComparer.Ordinal)
    {
        ["content"] = [],
        ["content-sqlite"] = ["content"],
        ["kvs"] = ["content", "content-sqlite"],
        ["kvs-watch"] = ["kvs"],
        ["resource"] = ["kvs"],
        ["job-manager"] = ["kvs", "kvs-watch"],
        ["job-info"] = ["kvs", "kvs-watch", "job-manager"],
        ["job-list"] = ["kvs", "job-manager"],
        ["job-ingest"] = ["kvs", "job-manager"],
        ["job-exec"] = ["kvs", "job-manager"],
        ["sched-simple"] = ["resource", "job-manager"],
    };

    /// <summary>Whether the table knows <paramref name="name"/>.</summary>
    public static bool IsKnown(string name) => Needs.ContainsKey(name);

    /// <summary>Whether module <paramref name="a"/> needs module <paramref name="b"/> (both known).</summary>
    public static bool DirectlyNeeds(string a, string b) => Needs.TryGetValue(a, out var needs) && needs.Contains(b, StringComparer.Ordinal);

    /// <summary>
    /// For each module of <paramref name="names"/> (in load order), the indices of the earlier modules
    /// its load waits for: the ones it needs that are listed before it, and the last unknown module
    /// before it; an unknown module waits for every module before it. A need listed after the module,
    /// or not at all, is not waited for (the module loaded without it in the sequential order too).
    /// </summary>
    public static int[][] Prerequisites(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new int[names.Count][];
        var barrier = -1;
        for (var i = 0; i < names.Count; i++)
        {
            if (!Needs.TryGetValue(names[i], out var needs))
            {
                result[i] = [.. Enumerable.Range(0, i)];
                barrier = i;
                continue;
            }
            var pre = new List<int>();
            if (barrier >= 0)
            {
                pre.Add(barrier);
            }
            for (var j = barrier + 1; j < i; j++)
            {
                if (needs.Contains(names[j], StringComparer.Ordinal))
                {
                    pre.Add(j);
                }
            }
            result[i] = [.. pre];
        }
        return result;
    }

    /// <summary>
    /// Splits modules in removal order (the reverse of load order) into batches removed one after
    /// another, the members of a batch side by side: consecutive known modules of which none needs
    /// another. An unknown module is a batch of its own.
    /// </summary>
    public static List<List<T>> RemovalBatches<T>(IReadOnlyList<T> inRemovalOrder, Func<T, string> name)
    {
        ArgumentNullException.ThrowIfNull(inRemovalOrder);
        ArgumentNullException.ThrowIfNull(name);
        var batches = new List<List<T>>();
        List<T>? current = null;
        foreach (var m in inRemovalOrder)
        {
            var n = name(m);
            var joins = current is not null && IsKnown(n) && current.TrueForAll(o =>
            {
                var on = name(o);
                return IsKnown(on) && !DirectlyNeeds(on, n) && !DirectlyNeeds(n, on);
            });
            if (joins)
            {
                current!.Add(m);
            }
            else
            {
                current = [m];
                batches.Add(current);
            }
        }
        return batches;
    }
}
