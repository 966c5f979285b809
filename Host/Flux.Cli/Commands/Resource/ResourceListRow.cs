// One line of flux resource list: a state and the resources in it with one set of properties.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>One line of flux resource list: a state and the resources in it with one set of properties.</summary>
internal sealed class ResourceListRow(string state, Rv1 set, string? queue, ResourceQueues queues)
{
    private static readonly string[] UniqFields = ["state", "properties", "propertiesx", "queue"];

    public static Dictionary<string, string> Headings { get; } = new(StringComparer.Ordinal)
    {
        ["state"] = "STATE",
        ["queue"] = "QUEUE",
        ["properties"] = "PROPERTIES",
        ["propertiesx"] = "PROPERTIES",
        ["nnodes"] = "NNODES",
        ["ncores"] = "NCORES",
        ["ngpus"] = "NGPUS",
        ["ranks"] = "RANKS",
        ["nodelist"] = "NODELIST",
        ["rlist"] = "LIST",
    };

    public string State { get; } = state;

    public Rv1 Set { get; private set; } = set;

    private IReadOnlyCollection<string> PropertyNames => [.. Set.Properties.Keys];

    private string Queue => queue ?? (Set.NodeCount == 0 ? string.Empty : string.Join(',', queues.QueuesOf(PropertyNames)));

    public object? Get(string field) => field switch
    {
        "state" => State,
        "queue" => Queue,
        "properties" => string.Join(',', PropertyNames),
        "propertiesx" => string.Join(',', PropertyNames.Except(Queue.Split(','), StringComparer.Ordinal)),
        "nnodes" => (long)Set.NodeCount,
        "ncores" => (long)Set.CoreCount,
        "ngpus" => (long)Set.GpuCount,
        "ranks" => Set.Ranks.Encode(IdSetFormat.Range),
        "nodelist" => Set.Nodelist.ToString(),
        "rlist" => Set.ToShortString(),
        _ => null,
    };

    // flux-core's resources_uniq_lines(): per state, ranks split by their exact property sets, and
    // lines whose state/properties/queue fields print the same merged; sorted by state, then first rank.
    public static List<ResourceListRow> Lines(ResourceSchedView view, List<string> states, ResourceOutputFormat formatter, ResourceQueues queues, IReadOnlyList<string> queueFilter)
    {
        var fields = formatter.Fields.Distinct().ToList();
        var keyFields = fields.Count > 1 || fields.Contains("state") ? fields.Where(f => Array.IndexOf(UniqFields, f) >= 0).ToList() : [];
        var emptyQueues = queueFilter.Count > 0 ? queueFilter.Select(q => (string?)q).ToList()
            : queues.Names.Count > 0 ? queues.Names.Select(q => (string?)q.Name).ToList()
            : [null];
        var lines = new Dictionary<string, ResourceListRow>(StringComparer.Ordinal);
        var order = new List<ResourceListRow>();
        void Add(ResourceListRow row)
        {
            var key = string.Join(':', keyFields.Select(f => Convert.ToString(row.Get(f), CultureInfo.InvariantCulture)));
            if (lines.TryGetValue(key, out var have))
            {
                have.Set = have.Set.Union(row.Set);
                return;
            }
            lines[key] = row;
            order.Add(row);
        }
        foreach (var state in states)
        {
            var set = view[state];
            if (set.NodeCount == 0)
            {
                foreach (var q in emptyQueues)
                {
                    Add(new ResourceListRow(state, Rv1.Empty, q ?? string.Empty, queues));
                }
                continue;
            }
            foreach (var group in set.Nodes.GroupBy(n => string.Join('\u0001', n.Properties), StringComparer.Ordinal))
            {
                Add(new ResourceListRow(state, set.CopyRanks(new IdSet(group.Select(n => n.Rank))), null, queues));
            }
        }
        return [.. order.OrderBy(r => states.IndexOf(r.State)).ThenBy(r => r.Set.Ranks.First() ?? uint.MaxValue)];
    }
}
