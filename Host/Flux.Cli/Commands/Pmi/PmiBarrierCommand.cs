// flux pmi barrier: time PMI barriers across a job's tasks, as flux-core's flux-pmi(1) does.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Cli.Commands;

internal sealed class PmiBarrierCommand : Command
{
    public override string Name => "pmi barrier";

    public override string Summary => "Execute PMI barriers and print how long they took (rank 0).";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        .. PmiMethod.Options,
        new("test-count", null, "N", "For testing, execute N timed barriers (default 1)."),
        new("test-abort", null, "RANK", "For testing, RANK calls PMI abort instead of the timed barriers."),
    ];

    public override string Details => """
        Run under a job shell, for example: flux run -n4 flux pmi barrier
        Every task initializes, enters one barrier (so that late starters do not skew the time), then
        the timed ones; rank 0 prints "LABEL: completed pmi barrier on N tasks in S.SSSs.", where
        LABEL is FLUX_JOB_CC or FLUX_JOB_ID.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        var count = args.GetInt("test-count", 1, min: 0);
        var abortRank = args.GetInt("test-abort", -1, min: -1);
        await using var pmi = await PmiMethod.OpenAsync(args, ct).ConfigureAwait(false);
        await pmi.BarrierAsync(ct).ConfigureAwait(false);
        if (pmi.Rank == abortRank)
        {
            await pmi.AbortAsync($"flux-pmi: rank {pmi.Rank} is aborting", ct).ConfigureAwait(false);
            return 1;
        }
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await pmi.BarrierAsync(ct).ConfigureAwait(false);
            if (pmi.Rank == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PmiMethod.Label()}: completed pmi barrier on {pmi.Size} tasks in {watch.Elapsed.TotalSeconds:0.000}s."));
            }
        }
        await pmi.FinalizeAsync(ct).ConfigureAwait(false);
        return 0;
    }
}
