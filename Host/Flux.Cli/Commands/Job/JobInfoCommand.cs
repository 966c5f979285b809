// flux job info: print a job's KVS data: jobspec, R, eventlog, J, guest.exec.eventlog, ...
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobInfoCommand : Command
{
    public override string Name => "job info";

    public override string Summary => "Print a job's KVS data: jobspec, R, eventlog, J, guest.exec.eventlog, ...";

    public override string Usage => "[--base] [--original] JOBID KEY...";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("base", 'b', null, "Print jobspec or R as stored, without the updates in the eventlog applied."),
        new("original", 'o', null, "Print the jobspec as submitted (taken from the signed request J)."),
    ];

    public override string Details => """
        By default jobspec and R are printed current: with the eventlog's jobspec-update and
        resource-update events applied. Other keys are printed as stored.

        Example: flux job info ƒ2BnqJt7 R
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2, int.MaxValue);
        var id = JobIdArg.ParseQuoted(args.Positionals[0]);
        var keys = args.Positionals.Skip(1).ToList();
        if (args.Has("original") && (keys.Count != 1 || keys[0] != "jobspec"))
        {
            throw new UsageException("--original can only be used with the jobspec key");
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var lookupKeys = args.Has("original") ? ["J"] : keys;
        var flags = args.Has("base") || args.Has("original") ? 0 : 2;
        JsonObject? resp;
        try
        {
            resp = await h.RpcAsync("job-info.lookup", new JsonObject
            {
                ["id"] = id,
                ["keys"] = new JsonArray([.. lookupKeys.Select(k => (JsonNode)k)]),
                ["flags"] = flags,
            }, NodeId.Any, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, ex.Message.StartsWith("key ", StringComparison.Ordinal)
                ? $"job {args.Positionals[0]}: {ex.Message}"
                : $"job {args.Positionals[0]} not found");
        }
        foreach (var key in lookupKeys)
        {
            var value = resp?[key]?.GetValue<string>() ?? "";
            if (args.Has("original"))
            {
                value = SignedJob.Unwrap(value).Jobspec;
            }
            Console.Write(value.EndsWith('\n') ? value : value + "\n");
        }
        return 0;
    }
}
