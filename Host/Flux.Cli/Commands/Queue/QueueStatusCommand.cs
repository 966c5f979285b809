// flux queue status: show whether submission is enabled and scheduling started, per queue.
namespace Flux.Cli.Commands;

internal sealed class QueueStatusCommand : Command
{
    public override string Name => "queue status";

    public override string Summary => "Show whether submission is enabled and scheduling started.";

    public override string Usage => "[-v] [QUEUE]";

    public override IReadOnlyList<OptionSpec> Options => [new("verbose", 'v', null, "Show every queue, then the alloc requests queued and pending and the running jobs.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var verbose = args.Has("verbose");
        await QueueStatusPrinter.PrintAsync(h, args.Positionals.Count == 1 ? args.Positionals[0] : null, verbose, QueueStatusPrinter.Lines.Both, ct).ConfigureAwait(false);
        if (verbose)
        {
            await QueueStatusPrinter.PrintAllocAsync(h, ct).ConfigureAwait(false);
        }
        return 0;
    }
}
