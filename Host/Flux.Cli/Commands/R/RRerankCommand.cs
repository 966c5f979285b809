// flux R rerank: print the union of the R objects on stdin with each host's rank set to its index in HOSTLIST
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RRerankCommand : Command
{
    public override string Name => "R rerank";

    public override string Summary => "Print the union of the R objects on stdin with each host's rank set to its index in HOSTLIST.";

    public override string Usage => "HOSTLIST";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var r = await RSets.ReadUnionAsync(ct).ConfigureAwait(false);
        if (!Hostlist.TryParse(args.Positionals[0], out var hl))
        {
            throw Invalid($"invalid hostlist '{args.Positionals[0]}'");
        }
        if (hl.Count != r.NodeCount)
        {
            throw Invalid($"Too {(hl.Count > r.NodeCount ? "many" : "few")} hosts specified (expected {r.NodeCount})");
        }
        var indices = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var i = 0; i < hl.Count; i++)
        {
            (indices.TryGetValue(hl[i], out var q) ? q : indices[hl[i]] = new Queue<int>()).Enqueue(i);
        }
        var ranks = new List<Rv1Rank>();
        foreach (var n in r.Nodes)
        {
            if (n.Hostname is null || !indices.TryGetValue(n.Hostname, out var q) || !q.TryDequeue(out var index))
            {
                throw Invalid("failed to find one or more provided hosts in R");
            }
            ranks.Add(n with { Rank = (uint)index });
        }
        Console.WriteLine(RSets.FromRanks(ranks, r).ToString());
        return 0;
    }
}
