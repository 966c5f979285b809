// flux job urgency|raise|kill|wait|cancel: act on one job through the job manager.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobUrgencyCommand : Command
{
    public override string Name => "job urgency";

    public override string Summary => "Change a pending job's urgency: 0-31, hold, expedite or default.";

    public override string Usage => "[-v] ID URGENCY";

    public override IReadOnlyList<OptionSpec> Options => [new("verbose", 'v', null, "Print the old and new urgency.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var id = JobIdArg.Parse(args.Positionals[0]);
        var urgency = Jobs.SubmitOptions.ParseUrgency(args.Positionals[1]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = urgency }, NodeId.Any, ct).ConfigureAwait(false);
        if (args.Has("verbose"))
        {
            Console.WriteLine($"{JobIdArg.F58(id)}: urgency changed from {UrgencyName(resp?["old_urgency"]?.GetValue<int>() ?? 16)} to {UrgencyName(urgency)}");
        }
        return 0;
    }

    private static string UrgencyName(int u) => u switch
    {
        0 => "hold",
        31 => "expedite",
        _ => u.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

internal sealed class JobRaiseCommand : Command
{
    public override string Name => "job raise";

    public override string Summary => "Raise an exception on a job (severity 0 ends it).";

    public override string Usage => "[-s SEVERITY] [-t TYPE] ID [MESSAGE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("severity", 's', "N", "Severity 0-7 (default 0: fatal)."),
        new("type", 't', "TYPE", "Exception type (default 'cancel')."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var id = JobIdArg.Parse(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.raise", new JsonObject
        {
            ["id"] = id,
            ["severity"] = args.GetInt("severity", 0, 0, 7),
            ["type"] = args.Get("type") ?? "cancel",
            ["note"] = string.Join(' ', args.Positionals.Skip(1)),
        }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class JobCancelCommand : Command
{
    public override string Name => "job cancel";

    public override string Summary => "Cancel one job (same as flux cancel ID).";

    public override string Usage => "ID [MESSAGE...]";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var id = JobIdArg.Parse(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0, ["note"] = string.Join(' ', args.Positionals.Skip(1)) }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class JobKillCommand : Command
{
    public override string Name => "job kill";

    public override string Summary => "Send a signal to a running job's tasks (default SIGTERM).";

    public override string Usage => "[-s SIGNAL] ID";

    public override IReadOnlyList<OptionSpec> Options => [new("signal", 's', "SIG", "Signal name or number.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var id = JobIdArg.Parse(args.Positionals[0]);
        var sig = args.Get("signal") ?? "SIGTERM";
        var signum = Signals.Parse(sig) ?? throw new UsageException($"invalid signal '{sig}'");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.kill", new JsonObject { ["id"] = id, ["signum"] = signum }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class JobWaitCommand : Command
{
    public override string Name => "job wait";

    public override string Summary => "Wait for a job (or any waitable job) to finish; exit 1 if it failed.";

    public override string Usage => "[-v] [--all] [ID]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("all", 'a', null, "Wait for all waitable jobs."),
        new("verbose", 'v', null, "Print a line for each job."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Positionals.Count == 1)
        {
            var resp = await h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = JobIdArg.Parse(args.Positionals[0]) }, NodeId.Any, ct).ConfigureAwait(false);
            return Report(resp!, args.Has("verbose")) ? 0 : 1;
        }
        var rc = 0;
        while (true)
        {
            JsonObject? resp;
            try
            {
                resp = await h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = 0 }, NodeId.Any, ct).ConfigureAwait(false);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ECHILD)
            {
                if (!args.Has("all"))
                {
                    throw;
                }
                return rc;
            }
            if (!Report(resp!, args.Has("verbose") || args.Has("all")))
            {
                rc = 1;
            }
            if (!args.Has("all"))
            {
                return rc;
            }
        }
    }

    private static bool Report(JsonObject resp, bool verbose)
    {
        var id = resp["id"]!.GetValue<ulong>();
        var ok = resp["success"]!.GetValue<bool>();
        if (!ok)
        {
            Console.Error.WriteLine($"flux-job: {JobIdArg.F58(id)}: {resp["errstr"]?.GetValue<string>()}");
        }
        else if (verbose)
        {
            Console.WriteLine($"{JobIdArg.F58(id)}: job completed successfully");
        }
        return ok;
    }
}
