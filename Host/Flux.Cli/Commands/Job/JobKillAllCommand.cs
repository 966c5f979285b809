// flux job killall: send a signal to all of a user's (or everyone's) running jobs, with -f
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobKillAllCommand : Command
{
    public override string Name => "job killall";

    public override string Summary => "Send a signal to all your running jobs (-f to confirm).";

    public override string Usage => "[-s SIG] [-u USER] [-f]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("signal", 's', "SIG", "Signal name or number (default SIGTERM)."),
        new("user", 'u', "USER", "Target USER's jobs, or 'all' (instance owner only)."),
        new("force", 'f', null, "Send the signals (without it, only count the jobs)."),
    ];

    public override string Details => """
        As flux-core's: job-manager.killall {dry_run, userid, signum} -> {count, errors}.
        Example:
          flux job killall -s SIGINT -f
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sig = args.Get("signal") ?? "SIGTERM";
        var signum = Signals.Parse(sig) ?? throw new UsageException($"killall: Invalid signal {sig}");
        var dryRun = !args.Has("force");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.killall", new JsonObject
        {
            ["dry_run"] = dryRun,
            ["userid"] = JobUserArg.Parse(args.Get("user")),
            ["signum"] = signum,
        }, NodeId.Any, ct).ConfigureAwait(false);
        var count = resp!["count"]!.GetValue<int>();
        var errors = resp["errors"]!.GetValue<int>();
        Console.Error.WriteLine(count == 0 ? "flux-job: Command matched 0 jobs"
            : dryRun ? $"flux-job: Command matched {count} jobs (-f to confirm)"
            : $"flux-job: {Signals.Describe(signum)} {count} jobs ({errors} errors)");
        return 0;
    }
}
