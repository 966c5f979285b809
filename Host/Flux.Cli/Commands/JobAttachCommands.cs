// flux job attach|status: follow a submitted job's output and events, or just its exit status.
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
        };
        return await attacher.RunAsync(ct).ConfigureAwait(false);
    }
}

internal sealed class JobStatusCommand : Command
{
    public override string Name => "job status";

    public override string Summary => "Wait for jobs to finish and exit with the largest exit code.";

    public override string Usage => "[-v] ID...";

    public override IReadOnlyList<OptionSpec> Options => [new("verbose", 'v', null, "Print each job's result.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ids = args.Positionals.Select(JobIdArg.Parse).ToList();
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var rc = 0;
        foreach (var id in ids)
        {
            var resp = await h.RpcAsync("job-manager.wait", new System.Text.Json.Nodes.JsonObject { ["id"] = id }, NodeId.Any, ct).ConfigureAwait(false);
            var status = resp!["status"]?.GetValue<int>() ?? -1;
            var code = JobExit.Code(status, resp["success"]!.GetValue<bool>());
            if (args.Has("verbose"))
            {
                Console.Error.WriteLine($"{JobIdArg.F58(id)}: {(code == 0 ? "job completed successfully" : resp["errstr"]?.GetValue<string>())}");
            }
            rc = Math.Max(rc, code);
        }
        return rc;
    }
}
