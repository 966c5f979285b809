// flux R verify: check that a one-rank R (second on stdin) has the resources the first R gives that rank
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RVerifyCommand : Command
{
    public override string Name => "R verify";

    public override string Summary => "Check that a one-rank R (second on stdin) has the resources the first R gives that rank.";

    public override string Details => """
        Reads exactly two R objects on stdin: the expected resources, then the actual resources of
        one rank. Missing resources (or a different host name) print an error and exit 1; extra
        resources print a note and exit 0.

        Example:
          (flux R encode -r 0-1 -c 0-3 -H 'n[0-1]'; flux R encode -r 0 -c 0-1 -H n0) | flux R verify
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        if (sets.Count != 2)
        {
            throw Invalid("verify requires exactly 2 R objects on stdin");
        }
        var (expected, actual) = (sets[0], sets[1]);
        if (actual.NodeCount != 1)
        {
            throw Invalid("Verification supported on single rank only");
        }
        var node = actual.Nodes[0];
        var host = node.Hostname ?? "unknown";
        if (expected.Find(node.Rank) is not { } exp)
        {
            throw Invalid($"rank {node.Rank} not found in expected ranks");
        }
        if (exp.Hostname is not null && node.Hostname is not null && exp.Hostname != node.Hostname)
        {
            throw Invalid($"rank {node.Rank} got hostname '{node.Hostname}', expected '{exp.Hostname}'");
        }
        var expectedRank = expected.CopyRanks(actual.Ranks);
        var missing = expectedRank.Subtract(actual);
        if (missing.NodeCount > 0)
        {
            throw Invalid($"rank {node.Rank} ({host}) missing resources: {Children(missing)}");
        }
        var extra = actual.Subtract(expectedRank);
        if (extra.NodeCount > 0)
        {
            await Console.Error.WriteLineAsync($"{Prog}: rank {node.Rank} ({host}) has extra resources: {Children(extra)}").ConfigureAwait(false);
        }
        return 0;
    }

    // "rank0/core[2-3],gpu0" without the rank: what flux-core's rnode_child_dumps() prints.
    private static string Children(Rv1 oneRank)
    {
        var s = oneRank.ToShortString();
        return s[(s.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }
}
