// flux run: submit a job and attach to it: its output here, stdin and signals forwarded, its exit code.
using Flux.Cli.Jobs;
using Flux.Cli.Terminal;

namespace Flux.Cli.Commands;

internal sealed class RunCommand : Command
{
    public override string Name => "run";

    public override string Summary => "Run a job interactively: submit it, print its output, exit with its exit code.";

    public override string Usage => "[OPTIONS] COMMAND [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        .. SubmitOptions.Specs,
        .. OutputOptions.Specs,
        new("verbose", 'v', null, "Print job events as they happen."),
    ];

    public override string Details => """
        Ctrl-C once sends SIGINT to the tasks; twice within 2s cancels the job.

        Examples:
          flux run -n2 hostname
          flux run -n4 sh -c 'echo $FLUX_TASK_RANK'
          flux run --label-io -n2 --output=job-{{id}}.out ./app
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var jobspec = SubmitOptions.Build(args, args.Positionals);
        OutputOptions.Apply(args, jobspec);
        if (args.Has("dry-run"))
        {
            Console.WriteLine(SubmitOptions.Pretty(jobspec));
            return 0;
        }
        SubmitSupport.Check(jobspec, SubmitOptions.Flags(args));
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ids = await SubmitCommand.SubmitAllAsync(h, [jobspec], SubmitOptions.Urgency(args), SubmitOptions.Flags(args), ProgressLine.None, ct).ConfigureAwait(false);
        var attacher = new Attacher(h, ids[0], "flux-run")
        {
            LabelIo = args.Has("label-io"),
            ForwardStdin = !args.Has("input"),
            Pty = Attacher.JobspecUsesPty(jobspec),
            ShowEvents = args.Has("verbose"),
        };
        return await attacher.RunAsync(ct).ConfigureAwait(false);
    }
}
