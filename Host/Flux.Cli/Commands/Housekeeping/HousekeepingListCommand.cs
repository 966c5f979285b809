// flux housekeeping list: the jobs whose resources are still in housekeeping (flux-core's flux-housekeeping list).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class HousekeepingListCommand : Command
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["default"] = "{id.f58:>12} {nnodes:>6} {pending.nnodes:>7} {runtime!F:>8} {nodelist}",
        ["pending"] = "{id.f58:>12} {pending.nnodes:>7} {runtime!F:>8} {pending.nodelist}",
    };

    public override string Name => "housekeeping list";

    public override string Summary => "List jobs whose resources are in housekeeping: nodes held, nodes still running it, time so far.";

    public override string Usage => "[-n] [-i HOSTS|RANKS] [-o FORMAT]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("include", 'i', "HOSTS|RANKS", "Limit output to housekeeping jobs on HOSTS|RANKS."),
        ResourceOptions.NoHeader,
        new("format", 'o', "FORMAT", "Output format: a name (default, pending) or a format string; 'help' lists the names."),
    ];

    public override string Details => """
        NNODES counts the nodes not yet given back to the scheduler, #ACTIVE those where the housekeeping
        command still runs ([job-manager.housekeeping] release-after decides when finished nodes go back).
        Fields: id (id.f58, id.dec, ...), t_start, runtime, ranks, nnodes, nodelist (and their allocated.
        forms), pending.ranks, pending.nnodes, pending.nodelist. Examples:
          flux housekeeping list
          flux housekeeping list -o pending
          flux housekeeping list -i 0-3 -no '{id} {pending.ranks}'
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        if (ResourceOptions.PrintFormatNames(args.Get("format"), "flux-housekeeping list", Formats))
        {
            return 0;
        }
        var formatter = new ResourceOutputFormat(ResourceOptions.FormatString(args.Get("format"), "FLUX_HOUSEKEEPING_LIST_FORMAT_DEFAULT", Formats), HousekeepingRow.Headings);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var statsTask = h.RpcAsync("job-manager.stats-get", new JsonObject(), NodeId.Any, ct);
        var hosts = Hostlist.TryParse(await h.GetAttrAsync("hostlist", ct).ConfigureAwait(false), out var hl) ? hl : Hostlist.Empty;
        var stats = await statsTask.ConfigureAwait(false);
        IdSet? include = args.Get("include") is { } inc ? HousekeepingKillCommand.Ranks(inc, hosts, "--include") : null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var rows = new List<HousekeepingRow>();
        foreach (var (key, value) in stats?["housekeeping"]?["running"] as JsonObject ?? [])
        {
            if (value is not JsonObject info || !Fluid.TryParse(key, out var id))
            {
                throw new FluxException(Errno.EPROTO, $"job-manager.stats-get: unexpected housekeeping entry '{key}'");
            }
            var row = new HousekeepingRow(id, info["t_start"]?.GetValue<double>() ?? now,
                IdSet.Parse(info["allocated"]?.GetValue<string>() ?? string.Empty),
                IdSet.Parse(info["pending"]?.GetValue<string>() ?? string.Empty), hosts, now);
            if (include is not null)
            {
                row.Filter(include);
            }
            if (row.Allocated.Count > 0)
            {
                rows.Add(row);
            }
        }
        rows.Sort((a, b) => a.TStart.CompareTo(b.TStart));
        formatter.Print(rows, (r, f) => r.Get(f), args.Has("no-header"), Console.Out);
        return 0;
    }
}
