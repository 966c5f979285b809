// flux cancel: raise a cancel exception on jobs by id, or on all jobs of a user in some states.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class CancelCommand : Command
{
    public override string Name => "cancel";

    public override string Summary => "Cancel jobs: pending jobs never run, running ones are killed.";

    public override string Usage => "[OPTIONS] [JOBID...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("all", 'A', null, "Cancel all of your active jobs (with no JOBID)."),
        new("user", 'u', "USER", "Cancel jobs of USER, or of all users with 'all' (instance owner only)."),
        new("states", 'S', "STATES", "Only jobs in these states (comma-separated: depend, priority, sched, run, cleanup, pending, running, active; default active)."),
        new("message", 'm', "NOTE", "Reason recorded in the cancel exception."),
        new("dry-run", 'n', null, "Print what would be canceled; cancel nothing."),
        new("quiet", 'q', null, "Print nothing on success."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var note = args.Get("message") ?? string.Empty;
        List<ulong> ids;
        if (args.Positionals.Count > 0)
        {
            if (args.Has("all") || args.Has("user") || args.Has("states"))
            {
                throw new UsageException("JOBIDs cannot be combined with --all, --user or --states");
            }
            ids = [.. args.Positionals.Select(JobIdArg.Parse)];
        }
        else
        {
            if (!args.Has("all") && !args.Has("user") && !args.Has("states"))
            {
                throw new UsageException("specify JOBIDs, or select jobs with --all, --user or --states");
            }
            ids = await SelectAsync(h, args.Get("user"), ParseStates(args.Get("states")), ct).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                await Console.Error.WriteLineAsync("flux-cancel: Command matched 0 jobs").ConfigureAwait(false);
                return 0;
            }
            if (args.Has("dry-run"))
            {
                Console.WriteLine($"flux-cancel: Would cancel {ids.Count} job{(ids.Count == 1 ? "" : "s")}");
                return 0;
            }
        }
        var errors = 0;
        foreach (var id in ids)
        {
            try
            {
                await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0, ["note"] = note }, NodeId.Any, ct).ConfigureAwait(false);
            }
            catch (FluxException ex)
            {
                errors++;
                await Console.Error.WriteLineAsync($"flux-cancel: {JobIdArg.F58(id)}: {ex.Message}").ConfigureAwait(false);
            }
        }
        if (args.Positionals.Count == 0 && !args.Has("quiet"))
        {
            Console.WriteLine($"flux-cancel: Canceled {ids.Count - errors} job{(ids.Count - errors == 1 ? "" : "s")} ({errors} error{(errors == 1 ? "" : "s")})");
        }
        return errors == 0 ? 0 : 1;
    }

    // Active states only: a job that is NEW or INACTIVE cannot be canceled.
    private static JobState ParseStates(string? text)
    {
        if (text is null)
        {
            return JobState.Active;
        }
        var mask = JobState.None;
        foreach (var s in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!JobStateNames.TryParseState(s, out var state) || (state & ~JobState.Active) != 0)
            {
                throw new UsageException($"--states: invalid state '{s}' (depend, priority, sched, run, cleanup, pending, running, active)");
            }
            mask |= state;
        }
        return mask;
    }

    private static async Task<List<ulong>> SelectAsync(Flux.Client.Handle.FluxHandle h, string? user, JobState states, CancellationToken ct)
    {
        long userid = Flux.Client.Connectors.PeerCredentials.CurrentUid;
        if (user is not null)
        {
            userid = user == "all" ? -1 : UserNames.Uid(user) is uint u ? u : throw new UsageException($"--user: unknown user '{user}'");
        }
        var resp = await h.RpcAsync("job-list.list", new JsonObject
        {
            ["max_entries"] = 0,
            ["userid"] = userid,
            ["states"] = (int)states,
            ["results"] = 0,
            ["attrs"] = new JsonArray("userid"),
        }, NodeId.Any, ct).ConfigureAwait(false);
        return [.. (resp?["jobs"] as JsonArray ?? []).Select(j => j!["id"]!.GetValue<ulong>())];
    }
}
