// flux job attach: attach to a job: print its output as produced, forward stdin and signals
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobAttachCommand : Command
{
    public override string Name => "job attach";

    public override string Summary => "Attach to a job: print its output as produced, forward stdin and signals.";

    public override string Usage => "[OPTIONS] ID";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("label-io", 'l', null, "Prefix each line of output with its task rank."),
        new("show-events", 'E', null, "Print job events as they happen."),
        new("read-only", 'r', null, "Do not forward stdin."),
        new("stdin-ranks", 'i', "RANKS", "Send stdin only to these task ranks (an idset; default all)."),
        new("debug", null, null, "Parallel debugger support: at the job's start print its MPIR process table (one task per line on stderr) and continue tasks stopped in exec (-o stop-tasks-in-exec)."),
        new("debug-emulate", null, null, "As --debug, and always send SIGCONT to the tasks afterwards (for testing)."),
        new("verbose", 'v', null, "Increase verbosity (-vv with --debug prints totalview_jobid).", Repeatable: true),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var id = JobIdArg.Parse(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var attacher = new Attacher(h, id, "flux-job")
        {
            LabelIo = args.Has("label-io"),
            ForwardStdin = !args.Has("read-only"),
            ShowEvents = args.Has("show-events"),
            StdinRanks = args.Get("stdin-ranks") is { } r ? (Flux.Formats.IdSet.TryParse(r, out _) || r == "all" ? r : throw new UsageException($"--stdin-ranks: invalid idset '{r}'")) : "all",
            Debug = args.Has("debug") || args.Has("debug-emulate"),
            DebugEmulate = args.Has("debug-emulate"),
            Verbose = args.GetAll("verbose").Count,
        };
        try
        {
            if (attacher.Debug)
            {
                await attacher.CheckDebuggableAsync(ct).ConfigureAwait(false);
            }
            return await attacher.RunAsync(ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            // As flux job eventlog says it.
            throw new FluxException(Errno.ENOENT, $"job {args.Positionals[0]} not found");
        }
    }
}
