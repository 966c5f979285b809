// flux pmi get: print keys the PMI service sets before any task puts (PMI_process_mapping, flux.taskmap...).
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class PmiGetCommand : Command
{
    public override string Name => "pmi get";

    public override string Summary => "Print the values of PMI KVS keys set by the PMI service.";

    public override string Usage => "[OPTIONS] KEY...";

    public override IReadOnlyList<OptionSpec> Options => [.. PmiMethod.Options, new("ranks", null, "IDSET|all", "Print on these ranks only (default 0).")];

    public override string Details => """
        Example: flux run -n4 flux pmi get PMI_process_mapping   prints (vector,(0,1,4))
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ranksArg = args.Get("ranks") ?? "0";
        IdSet? ranks = null;
        if (ranksArg != "all" && !IdSet.TryParse(ranksArg, out ranks))
        {
            throw new UsageException("could not decode --ranks argument");
        }
        await using var pmi = await PmiMethod.OpenAsync(args, ct).ConfigureAwait(false);
        if (ranks is null || ranks.Contains((uint)pmi.Rank))
        {
            foreach (var key in args.Positionals)
            {
                Console.WriteLine(await pmi.GetAsync(key, ct).ConfigureAwait(false));
            }
        }
        await pmi.FinalizeAsync(ct).ConfigureAwait(false);
        return 0;
    }
}
