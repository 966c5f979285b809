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
            ranks = ranks.Union(new IdSet(all.Nodes.Where(n => q.Requires is null || q.Requires.All(n.Properties.Contains)).Select(n => n.Rank)));
        }
        return ranks;
    }
}
