// RFC 34 task maps: which tasks run on which of a job's nodes (block, cyclic, manual), and their compact encoding.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Shell;

/// <summary>
/// A job's task map: for each node (shell rank) of the job the global task ranks it runs. Built as
/// flux-core's shell does: the block map from how many tasks each node holds, then the job's
/// <c>taskmap</c> option (<c>{scheme, value}</c>, flux run's <c>--taskmap</c>): <c>block</c>,
/// <c>cyclic[:N]</c> (N tasks to each node in turn, skipping full nodes, as flux-core's cyclic.c) or
/// <c>manual</c> with an RFC 34 map that must give each node the tasks the block map does.
/// </summary>
public sealed class TaskMap
{
    private readonly int[][] _tasks;

    private TaskMap(int[][] tasks) => _tasks = tasks;

    /// <summary>How many nodes the map spans.</summary>
    public int NodeCount => _tasks.Length;

    /// <summary>How many tasks in all.</summary>
    public int TaskCount => _tasks.Sum(t => t.Length);

    /// <summary>The global ranks of the tasks on node <paramref name="node"/>, in rank order.</summary>
    public IReadOnlyList<int> TaskIds(int node) => _tasks[node];

    /// <summary>The node task <paramref name="rank"/> runs on.</summary>
    public int NodeOf(int rank) => Array.FindIndex(_tasks, t => t.Contains(rank));

    /// <summary>The block map: node 0 takes the first <c>counts[0]</c> ranks, node 1 the next, and so on.</summary>
    public static TaskMap Block(IReadOnlyList<int> counts)
    {
        var next = 0;
        return new TaskMap([.. counts.Select(c => Enumerable.Range((next += c) - c, c).ToArray())]);
    }

    /// <summary>cyclic:N: ranks handed out N at a time to each node in turn, a node taking no more than its count.</summary>
    public static TaskMap Cyclic(IReadOnlyList<int> counts, int n)
    {
        var lists = counts.Select(_ => new List<int>()).ToArray();
        var total = counts.Sum();
        var rank = 0;
        while (rank < total)
        {
            for (var node = 0; node < counts.Count && rank < total; node++)
            {
                for (var i = 0; i < n && lists[node].Count < counts[node] && rank < total; i++)
                {
                    lists[node].Add(rank++);
                }
            }
        }
        return new TaskMap([.. lists.Select(l => l.ToArray())]);
    }

    /// <summary>
    /// The map a job's shells use: the block map of <paramref name="counts"/> changed by the
    /// <c>taskmap</c> option; throws EINVAL with the reason when the option cannot be applied.
    /// </summary>
    public static TaskMap ForJob(IReadOnlyList<int> counts, JsonNode? option)
    {
        if (option is null)
        {
            return Block(counts);
        }
        var scheme = option["scheme"] is JsonValue s && s.TryGetValue(out string? sv) ? sv : null;
        var value = option["value"] is JsonValue v && v.TryGetValue(out string? vv) ? vv : string.Empty;
        switch (scheme)
        {
            case "block":
                return Block(counts);
            case "cyclic":
                var n = value.Length == 0 ? 1 : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 0;
                return n > 0 ? Cyclic(counts, n) : throw new FluxException(Errno.EINVAL, $"taskmap.cyclic: invalid value '{value}' (expected a positive integer)");
            case "manual":
                var map = Decode(value);
                var block = Block(counts);
                if (map.NodeCount != block.NodeCount || Enumerable.Range(0, map.NodeCount).Any(i => map.TaskIds(i).Count != block.TaskIds(i).Count))
                {
                    throw new FluxException(Errno.EINVAL, $"taskmap: manual taskmap {value} does not match the job's tasks per node ({Encode(block).ToJsonString()})");
                }
                return map;
            default:
                throw new FluxException(Errno.EINVAL, $"taskmap: unknown scheme '{scheme}' (expected block, cyclic[:N] or manual:TASKMAP)");
        }
    }

    /// <summary>Reads an RFC 34 map: <c>{"version":1,"map":[...]}</c> or just its <c>map</c> array of [nodeid, nnodes, ppn, repeat].</summary>
    public static TaskMap Decode(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EINVAL, $"taskmap: '{text}' is not an RFC 34 taskmap: {ex.Message}");
        }
        var blocks = (node is JsonObject o ? o["map"] : node) as JsonArray
            ?? throw new FluxException(Errno.EINVAL, $"taskmap: '{text}' is not an RFC 34 taskmap (expected [[nodeid,nnodes,ppn,repeat],...])");
        var lists = new List<List<int>>();
        var rank = 0;
        foreach (var b in blocks)
        {
            if (b is not JsonArray { Count: 4 } a || a.Any(e => e is not JsonValue ev || !ev.TryGetValue(out int _))
                || a[0]!.GetValue<int>() < 0 || a[1]!.GetValue<int>() < 1 || a[2]!.GetValue<int>() < 1 || a[3]!.GetValue<int>() < 1)
            {
                throw new FluxException(Errno.EINVAL, $"taskmap: block {b?.ToJsonString()} of '{text}' must be [nodeid>=0, nnodes>=1, ppn>=1, repeat>=1]");
            }
            var (first, nnodes, ppn, repeat) = (a[0]!.GetValue<int>(), a[1]!.GetValue<int>(), a[2]!.GetValue<int>(), a[3]!.GetValue<int>());
            for (var r = 0; r < repeat; r++)
            {
                for (var nodeid = first; nodeid < first + nnodes; nodeid++)
                {
                    while (lists.Count <= nodeid)
                    {
                        lists.Add([]);
                    }
                    for (var i = 0; i < ppn; i++)
                    {
                        lists[nodeid].Add(rank++);
                    }
                }
            }
        }
        if (lists.Any(l => l.Count == 0))
        {
            throw new FluxException(Errno.EINVAL, $"taskmap: '{text}' leaves a node without tasks");
        }
        return new TaskMap([.. lists.Select(l => l.ToArray())]);
    }

    /// <summary>The RFC 34 <c>map</c> array: runs of ranks on one node, merged over consecutive nodes, then repeats.</summary>
    public static JsonArray Encode(TaskMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var nodeOf = new int[map.TaskCount];
        for (var node = 0; node < map.NodeCount; node++)
        {
            foreach (var rank in map.TaskIds(node))
            {
                nodeOf[rank] = node;
            }
        }
        // (node, ppn) runs in rank order, then [nodeid, nnodes, ppn] over consecutive nodes of equal ppn.
        var runs = new List<(int Node, int Ppn)>();
        foreach (var node in nodeOf)
        {
            if (runs.Count > 0 && runs[^1].Node == node)
            {
                runs[^1] = (node, runs[^1].Ppn + 1);
            }
            else
            {
                runs.Add((node, 1));
            }
        }
        var blocks = new List<(int Node, int NNodes, int Ppn)>();
        foreach (var (node, ppn) in runs)
        {
            if (blocks.Count > 0 && blocks[^1].Ppn == ppn && blocks[^1].Node + blocks[^1].NNodes == node)
            {
                blocks[^1] = (blocks[^1].Node, blocks[^1].NNodes + 1, ppn);
            }
            else
            {
                blocks.Add((node, 1, ppn));
            }
        }
        var result = new List<(int Node, int NNodes, int Ppn, int Repeat)>();
        foreach (var (node, nnodes, ppn) in blocks)
        {
            if (result.Count > 0 && result[^1] is var last && (last.Node, last.NNodes, last.Ppn) == (node, nnodes, ppn))
            {
                result[^1] = (node, nnodes, ppn, last.Repeat + 1);
            }
            else
            {
                result.Add((node, nnodes, ppn, 1));
            }
        }
        return [.. result.Select(b => (JsonNode)new JsonArray(b.Node, b.NNodes, b.Ppn, b.Repeat))];
    }
}
