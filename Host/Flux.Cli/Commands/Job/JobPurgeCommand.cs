// flux job purge: remove inactive jobs from the instance (by age, count, or ID), with -f
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobPurgeCommand : Command
{
    public override string Name => "job purge";

    public override string Summary => "Remove inactive jobs (by age, count or ID; -f to confirm).";

    public override string Usage => "[--age-limit FSD] [--num-limit N] [--batch N] [-f] [ID...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("age-limit", null, "FSD", "Purge jobs that became inactive longer ago than FSD."),
        new("num-limit", null, "COUNT", "Purge the oldest inactive jobs until COUNT are left."),
        new("force", 'f', null, "Perform the irreversible purge (without it, only count)."),
        new("batch", null, "COUNT", "Jobs per request (default 50)."),
    ];

    public override string Details => """
        As flux-core's: with IDs, job-manager.purge-id {id, force} per job; otherwise job-manager.purge
        {age_limit, num_limit, batch, force}, repeated while a batch is full. Then prints the count.
        Examples:
          flux job purge --num-limit=100 -f
          flux job purge -f ƒ2Rnxtmu
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var force = args.Has("force");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var total = 0;
        if (args.Positionals.Count > 0)
        {
            var ids = args.Positionals.Select(JobIdArg.Parse).ToList();
            var replies = ids.Select(id => h.RpcAsync("job-manager.purge-id", new JsonObject { ["id"] = id, ["force"] = force ? 1 : 0 }, NodeId.Any, ct)).ToList();
            foreach (var r in replies)
            {
                try
                {
                    total += (await r.ConfigureAwait(false))!["count"]!.GetValue<int>();
                }
                catch (FluxException ex)
                {
                    throw new FluxException(ex.Errnum, $"purge: {ex.Message}");
                }
            }
        }
        else
        {
            var ageLimit = args.Get("age-limit") is { } a ? (Fsd.TryParse(a, out var s) ? s : throw new UsageException($"--age-limit: invalid duration '{a}'")) : -1.0;
            var numLimit = args.GetInt("num-limit", -1, 0);
            var batch = args.GetInt("batch", 50, 1);
            int count;
            do
            {
                var resp = await h.RpcAsync("job-manager.purge", new JsonObject
                {
                    ["age_limit"] = ageLimit,
                    ["num_limit"] = numLimit,
                    ["batch"] = batch,
                    ["force"] = force,
                }, NodeId.Any, ct).ConfigureAwait(false);
                count = resp!["count"]!.GetValue<int>();
                total += count;
            }
            while (force && count == batch);
        }
        var stats = await h.RpcAsync("job-manager.stats-get", null, NodeId.Any, ct).ConfigureAwait(false);
        var inactive = stats!["inactive_jobs"]!.GetValue<int>();
        Console.WriteLine(force ? $"purged {total} inactive jobs, {inactive} remaining" : $"use --force to purge {total} of {inactive} inactive jobs");
        return 0;
    }
}
