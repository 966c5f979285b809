// flux job status: wait for jobs to finish and exit with the largest exit code
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

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
