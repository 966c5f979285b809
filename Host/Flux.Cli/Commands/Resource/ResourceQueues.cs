// The [queues] table (RFC 33) as flux resource reads it: each queue and the properties it requires.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>The [queues] table (RFC 33): each queue's required properties.</summary>
internal sealed class ResourceQueues
{
    private ResourceQueues(List<(string Name, IReadOnlyList<string>? Requires)> queues)
    {
        Names = queues;
    }

    public IReadOnlyList<(string Name, IReadOnlyList<string>? Requires)> Names { get; }

    public static ResourceQueues From(JsonObject? config)
    {
        var list = new List<(string, IReadOnlyList<string>?)>();
        if (config?["queues"] is JsonObject queues)
        {
            foreach (var (name, q) in queues)
            {
                var requires = q?["requires"] is JsonArray a ? a.Select(p => p?.GetValue<string>() ?? string.Empty).ToList() : null;
                list.Add((name, requires));
            }
        }
        return new ResourceQueues(list);
    }

    // The queues whose requirements a set of properties meets (all queues without requires).
    public IEnumerable<string> QueuesOf(IReadOnlyCollection<string> properties) =>
        Names.Where(q => q.Requires is null || q.Requires.All(properties.Contains)).Select(q => q.Name);

    /// <summary>The nodes of <paramref name="set"/> that queue <paramref name="name"/> holds (all of them for a queue without requires or not configured).</summary>
    public Rv1 NodesOf(Rv1 set, string name) => Meeting(set, Names.FirstOrDefault(q => q.Name == name).Requires);

    // The nodes whose properties include every required one.
    private static Rv1 Meeting(Rv1 set, IReadOnlyList<string>? requires) =>
        requires is null ? set : set.CopyRanks(new IdSet(set.Nodes.Where(n => requires.All(n.Properties.Contains)).Select(n => n.Rank)));

    public IdSet RanksOf(Rv1 all, IReadOnlyList<string> names)
    {
        var ranks = IdSet.Empty;
        foreach (var name in names)
        {
            var q = Names.FirstOrDefault(x => x.Name == name);
            if (q.Name is null)
            {
                throw new FluxException(Errno.EINVAL, $"--queue: {name}: no such queue");
            }
            ranks = ranks.Union(Meeting(all, q.Requires).Ranks);
        }
        return ranks;
    }
}
