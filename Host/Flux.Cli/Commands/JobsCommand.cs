// flux jobs: list jobs from the job-list module (flux-jobs(1)), formatted as flux-core formats them.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class JobsCommand : Command
{
    private const uint AllUsers = uint.MaxValue;

    public override string Name => "jobs";

    public override string Summary => "List jobs (by default the calling user's pending and running jobs).";

    public override string Usage => "[OPTIONS] [JOBID...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("all-states", 'a', null, "List jobs in all states, including inactive jobs (--filter=pending,running,inactive)."),
        new("all-users", 'A', null, "List jobs of all users (--user=all)."),
        new("user", 'u', "USER", "List jobs of USER, a name or uid; 'all' for every user."),
        new("filter", 'f', "STATE|RESULT", "List jobs in these states or with these results, comma-separated (see below).", Repeatable: true),
        new("queue", 'q', "QUEUE[,QUEUE...]", "List jobs in these queues."),
        new("name", null, "NAME", "List jobs with this job name."),
        new("since", null, "WHEN", "List jobs active since WHEN (a Unix time, an ISO date, or -FSD ago); implies -a without --filter."),
        new("count", 'c', "N", "List at most N jobs (default 1000, 0 for no limit)."),
        new("no-header", 'n', null, "Do not print the header line."),
        new("format", 'o', "FORMAT", "Output format: a named format (default, long, deps, endreason; 'help' lists them) or a Python format string."),
        new("color", null, "WHEN", "Color by result: never, always or auto (default: when output is a terminal)."),
        new("stats", null, null, "Print job statistics (running, completed, failed, pending, purged) before the list."),
        new("stats-only", null, null, "Print job statistics only; exit 1 if there are no active jobs."),
        new("json", null, null, "Print the jobs as JSON ({\"jobs\": [...]}, or one object for one JOBID)."),
    ];

    public override string Details => """
        STATE|RESULT names: depend, priority, sched, run, cleanup, inactive, pending (depend,priority,sched),
        running (run,cleanup), active (pending,running); completed, failed, canceled, timeout (inactive jobs
        with that result). JOBIDs may be in any FLUID encoding; filters are ignored when JOBIDs are given.

        FORMAT fields (flux-jobs(1)): id id.f58 id.dec id.hex id.kvs id.dothex id.words userid username urgency
        priority state state_single status status_abbrev name queue cwd project bank ntasks ncores nnodes
        ranks nodelist duration runtime contextual_time contextual_info t_submit t_depend t_run t_cleanup
        t_inactive expiration t_remaining result result_abbrev success waitstatus returncode inactive_reason
        exception.occurred exception.severity exception.type exception.note dependencies annotations[.KEY...]
        sched[.KEY] user[.KEY]. Specs as in Python ({name:>10} {id.f58:<12}), plus the h suffix (empty → '-'),
        + suffix (mark truncation), conversions !d !D !F !H !P, and the ?: (drop empty column) and +: (widen
        column) prefixes. FLUX_JOBS_FORMAT_DEFAULT sets the default format.

        Examples:
          flux jobs -a
          flux jobs --filter=failed,canceled -o "{id} {exception.type} {exception.note}"
          flux jobs -A --stats -o long
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var formatArg = args.Get("format") ?? Environment.GetEnvironmentVariable("FLUX_JOBS_FORMAT_DEFAULT") ?? "default";
        if (formatArg == "help")
        {
            Console.WriteLine("\nConfigured flux-jobs output formats:\n");
            foreach (var (name, description, _) in JobFormat.Presets)
            {
                Console.WriteLine($"  {name,-12} {description}");
            }
            return 0;
        }
        var formatText = JobFormat.Resolve(formatArg) ?? throw new FluxException(Errno.EINVAL, $"--format: No such format {formatArg}");
        JobFormat format;
        try
        {
            format = new JobFormat(formatText);
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, "Error in user format: " + ex.Message);
        }
        if (args.Has("json") && (args.Has("stats") || args.Has("stats-only")))
        {
            throw new UsageException("--json cannot be combined with --stats or --stats-only");
        }
        var color = args.Get("color") switch
        {
            null or "auto" => !Console.IsOutputRedirected,
            "always" => true,
            "never" => false,
            var w => throw new UsageException($"--color: invalid choice '{w}' (choose from never, always, auto)"),
        };
        var ids = args.Positionals.Select(p => (Text: p, Id: Fluid.TryParse(p, out var id) ? id : throw new UsageException($"invalid JobID value: '{p}'"))).ToList();
        var filtered = args.Has("all-states") || args.Has("all-users") || args.Has("user") || args.Has("filter") || args.Has("queue")
            || args.Has("name") || args.Has("since") || args.Has("count");
        if (ids.Count > 0 && filtered)
        {
            await Console.Error.WriteLineAsync("flux-jobs: WARNING: Filtering options ignored with jobid list").ConfigureAwait(false);
        }

        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Has("stats") || args.Has("stats-only"))
        {
            var (line, active) = await StatsAsync(h, Queues(args), ct).ConfigureAwait(false);
            Console.WriteLine(line);
            if (args.Has("stats-only"))
            {
                return active > 0 ? 0 : 1;
            }
        }
        var jobs = ids.Count > 0 ? await ListIdsAsync(h, ids, ct).ConfigureAwait(false) : await ListAsync(h, args, ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var records = jobs.Select(j => new JobRecord(j, UserNames.Name, now)).ToList();
        if (args.Has("json"))
        {
            if (ids.Count == 1)
            {
                if (records.Count == 1)
                {
                    Console.WriteLine(PyFormat.PyJson(JobJson.ToDict(records[0])));
                }
                return 0;
            }
            Console.WriteLine(PyFormat.PyJson(new JsonObject { ["jobs"] = new JsonArray([.. records.Select(r => (JsonNode)JobJson.ToDict(r))]) }));
            return 0;
        }
        var prepared = format.Prepare(records);
        if (!args.Has("no-header"))
        {
            Console.WriteLine(prepared.Header());
        }
        foreach (var r in records)
        {
            var line = prepared.Format(r);
            Console.WriteLine(color && ResultColor(r.Result) is { } c ? c + line + "\u001b[0;0m" : line);
        }
        return 0;
    }

    private static string? ResultColor(string result) => result switch
    {
        "COMPLETED" => "\u001b[01;32m",
        "FAILED" or "TIMEOUT" => "\u001b[01;31m",
        "CANCELED" => "\u001b[37m",
        _ => null,
    };

    private static List<string>? Queues(ParsedArgs args) =>
        args.Get("queue")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static async Task<List<JsonObject>> ListAsync(FluxHandle h, ParsedArgs args, CancellationToken ct)
    {
        var (states, results) = Filters(args);
        var request = new JsonObject
        {
            ["max_entries"] = args.GetInt("count", 1000),
            ["attrs"] = new JsonArray("all"),
            ["userid"] = User(args),
            ["states"] = (int)states,
            ["results"] = (int)results,
        };
        if (Queues(args) is { } queues)
        {
            request["queue"] = queues.Count == 1 ? queues[0] : new JsonArray([.. queues.Select(q => (JsonNode)q)]);
        }
        if (args.Get("name") is { } name)
        {
            request["name"] = name;
        }
        if (args.Get("since") is { } since)
        {
            request["since"] = ParseSince(since);
        }
        var resp = await h.RpcAsync("job-list.list", request, NodeId.Any, ct).ConfigureAwait(false);
        return [.. (resp?["jobs"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    // One list-id per job, all in flight at once; unknown ids are reported as flux-core reports them.
    private static async Task<List<JsonObject>> ListIdsAsync(FluxHandle h, List<(string Text, ulong Id)> ids, CancellationToken ct)
    {
        var calls = ids.Select(i => h.RpcAsync("job-list.list-id", new JsonObject { ["id"] = i.Id, ["attrs"] = new JsonArray("all") }, NodeId.Any, ct)).ToList();
        var jobs = new List<JsonObject>();
        for (var i = 0; i < calls.Count; i++)
        {
            try
            {
                if ((await calls[i].ConfigureAwait(false))?["job"] is JsonObject job)
                {
                    jobs.Add(job);
                }
            }
            catch (FluxException ex)
            {
                await Console.Error.WriteLineAsync(ex.Errnum == Errno.ENOENT ? $"JobID {ids[i].Text} unknown" : $"rpc: {Errno.Describe(ex.Errnum)}").ConfigureAwait(false);
            }
        }
        return jobs;
    }

    private static (JobState States, JobResult Results) Filters(ParsedArgs args)
    {
        var states = JobState.None;
        var results = JobResult.None;
        foreach (var name in args.GetAll("filter").SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            // Any state or state set but NEW, or a result (which selects inactive jobs), as flux-jobs(1).
            if (JobStateNames.TryParseState(name, out var s) && s != JobState.New)
            {
                states |= s;
            }
            else if (JobStateNames.TryParseResult(name, out var r))
            {
                states |= JobState.Inactive;
                results |= r;
            }
            else
            {
                throw new FluxException(Errno.EINVAL, $"Invalid filter specified: {name}");
            }
        }
        if (states != JobState.None && args.Has("all-states"))
        {
            Console.Error.WriteLine("flux-jobs: WARNING: ignoring -a since --filter was given");
        }
        if (states == JobState.None)
        {
            states = args.Has("all-states") || args.Has("since") ? JobState.Active | JobState.Inactive : JobState.Active;
        }
        return (states, results);
    }

    private static uint User(ParsedArgs args)
    {
        if (args.Has("all-users"))
        {
            return AllUsers;
        }
        var user = args.Get("user");
        if (user is null)
        {
            return PeerCredentials.CurrentUid;
        }
        if (user == "all")
        {
            return AllUsers;
        }
        return UserNames.Uid(user.TrimStart('+')) ?? throw new FluxException(Errno.EINVAL, $"Invalid user {user} specified");
    }

    private static double ParseSince(string when)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        double t;
        if (when.StartsWith('-') && Fsd.TryParse(when[1..], out var ago))
        {
            t = now - ago;
        }
        else if (double.TryParse(when, NumberStyles.Float, CultureInfo.InvariantCulture, out var ts))
        {
            t = ts;
        }
        else if (DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var date))
        {
            t = date.ToUnixTimeMilliseconds() / 1000.0;
        }
        else
        {
            throw new FluxException(Errno.EINVAL, $"Invalid datetime: \"{when}\"");
        }
        if (t > now)
        {
            throw new FluxException(Errno.EINVAL, $"--since={when} appears to be in the future");
        }
        return t;
    }

    // The flux jobs --stats line; with queues, the sum of those queues' statistics.
    private static async Task<(string Line, long Active)> StatsAsync(FluxHandle h, List<string>? queues, CancellationToken ct)
    {
        var resp = await h.RpcAsync("job-list.job-stats", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false) ?? [];
        var sets = new List<JsonObject>();
        if (queues is null)
        {
            sets.Add(resp);
        }
        else
        {
            var byName = (resp["queues"] as JsonArray ?? []).OfType<JsonObject>()
                .ToDictionary(q => q["name"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
            foreach (var q in queues)
            {
                sets.Add(byName.TryGetValue(q, out var s) ? s : throw new FluxException(Errno.EINVAL, $"no stats available for queue {q}"));
            }
        }
        long Sum(string key) => sets.Sum(s => s[key]?.GetValue<long>() ?? 0);
        long State(string key) => sets.Sum(s => s["job_states"]?[key]?.GetValue<long>() ?? 0);
        var pending = State("depend") + State("priority") + State("sched");
        var running = State("run") + State("cleanup");
        var failed = Sum("failed") + Sum("canceled") + Sum("timeout");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{running} running, {Sum("successful")} completed, {failed} failed, {pending} pending, {Sum("inactive_purged")} inactive purged");
        return (line, State("total") - State("inactive"));
    }
}
