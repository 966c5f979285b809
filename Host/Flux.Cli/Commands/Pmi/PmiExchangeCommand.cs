// flux pmi exchange: an allgather through the PMI KVS (every rank puts a key, then gets every rank's), timed.
using System.Diagnostics;
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class PmiExchangeCommand : Command
{
    public override string Name => "pmi exchange";

    public override string Summary => "Perform an allgather style exchange through the PMI KVS and print how long it took (rank 0).";

    public override IReadOnlyList<OptionSpec> Options => [.. PmiMethod.Options, new("count", null, "N", "Execute N exchanges (default 1).")];

    public override string Details => """
        Run under a job shell, for example: flux run -n4 flux pmi exchange
        Each exchange: every rank puts key.RANK = NAME-RANK-SIZE, enters a barrier, gets and checks
        every rank's key, and enters a barrier again; rank 0 then prints
        "LABEL: completed pmi exchange on N tasks in S.SSSs.". A missing or wrong value fails the task.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        var count = args.GetInt("count", 1, min: 0);
        await using var pmi = await PmiMethod.OpenAsync(args, ct).ConfigureAwait(false);
        await pmi.BarrierAsync(ct).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await pmi.PutAsync(Key(pmi.Rank), Value(pmi, pmi.Rank), ct).ConfigureAwait(false);
            await pmi.BarrierAsync(ct).ConfigureAwait(false);
            for (var rank = 0; rank < pmi.Size; rank++)
            {
                if (await pmi.GetAsync(Key(rank), ct).ConfigureAwait(false) != Value(pmi, rank))
                {
                    throw new FluxException(Errno.EPROTO, $"get {Key(rank)}: returned unexpected value");
                }
            }
            // The time covers every rank's gets.
            await pmi.BarrierAsync(ct).ConfigureAwait(false);
            if (pmi.Rank == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PmiMethod.Label()}: completed pmi exchange on {pmi.Size} tasks in {watch.Elapsed.TotalSeconds:0.000}s."));
            }
        }
        await pmi.FinalizeAsync(ct).ConfigureAwait(false);
        return 0;
    }

    private static string Key(int rank) => string.Create(CultureInfo.InvariantCulture, $"key.{rank}");

    private static string Value(IPmiClient pmi, int rank) => string.Create(CultureInfo.InvariantCulture, $"{pmi.Name}-{rank}-{pmi.Size}");
}
