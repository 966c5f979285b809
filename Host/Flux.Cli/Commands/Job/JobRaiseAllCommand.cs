// flux job raiseall: raise an exception on all of a user's (or everyone's) active jobs, with -f
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobRaiseAllCommand : Command
{
    public override string Name => "job raiseall";

    public override string Summary => "Raise an exception on all your active jobs (-f to confirm).";

    public override string Usage => "[-s N] [-u USER] [-S STATES] [-f] TYPE [MESSAGE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("severity", 's', "N", "Severity 0-7 (0 is fatal; default 7)."),
        new("user", 'u', "USER", "Target USER's jobs, or 'all' (instance owner only)."),
        new("states", 'S', "STATES", "Target jobs in these states, comma-separated (default: active states)."),
        new("force", 'f', null, "Raise the exceptions (without it, only count the jobs)."),
    ];

    public override string Details => """
        As flux-core's: job-manager.raiseall {dry_run, userid, states, severity, type, note} -> {count, errors}.
        Examples:
          flux job raiseall -s 0 -f cancel "maintenance"
          flux job raiseall -u all -S sched test
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var states = JobState.Active;
        if (args.Get("states") is { } text)
        {
            states = JobState.None;
            foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                states |= JobStateNames.TryParseState(name, out var s) ? s : throw new UsageException($"--states: invalid state '{name}'");
            }
            if ((states & JobState.Inactive) != 0)
            {
                throw new UsageException("Exceptions cannot be raised on inactive jobs");
            }
        }
        var dryRun = !args.Has("force");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.raiseall", new JsonObject
        {
            ["dry_run"] = dryRun,
            ["userid"] = JobUserArg.Parse(args.Get("user")),
            ["states"] = (int)states,
            ["severity"] = args.GetInt("severity", 7, 0, 7),
            ["type"] = args.Positionals[0],
            ["note"] = string.Join(' ', args.Positionals.Skip(1)),
        }, NodeId.Any, ct).ConfigureAwait(false);
        var count = resp!["count"]!.GetValue<int>();
        var errors = resp["errors"]!.GetValue<int>();
        Console.Error.WriteLine(count == 0 ? "flux-job: Command matched 0 jobs"
            : dryRun ? $"flux-job: Command matched {count} jobs (-f to confirm)"
            : $"flux-job: Raised exception on {count} jobs ({errors} errors)");
        return 0;
    }
}
