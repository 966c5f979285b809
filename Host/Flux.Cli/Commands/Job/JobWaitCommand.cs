// flux job wait: wait for a job (or any waitable job) to finish; exit 1 if it failed
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

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
