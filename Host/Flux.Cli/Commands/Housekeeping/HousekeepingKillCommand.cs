// flux housekeeping kill: signals housekeeping runs, of one job or all, on some ranks or all (flux-core's flux-housekeeping kill).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class HousekeepingKillCommand : Command
{
    public override string Name => "housekeeping kill";

    public override string Summary => "Send a signal to running housekeeping tasks.";

    public override string Usage => "[-s SIGNUM] [-t RANKS|HOSTS] [-j JOBID] [--all]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("signal", 's', "SIGNUM", "Specify signal number to send to housekeeping task (default 15)."),
        new("targets", 't', "RANKS|HOSTS", "Only target specific ranks or hostnames."),
        new("jobid", 'j', "JOBID", "Target housekeeping tasks for this jobid."),
        new("all", null, null, "Kill all active housekeeping tasks."),
    ];

    public override string Details => """
        At least one of --targets, --jobid or --all is required. The signal goes to each selected run's
        process group; a run that ends on it fails, so its node is drained as any failed housekeeping.
        Examples:
          flux housekeeping kill --all
          flux housekeeping kill -j f3Xb9tZ5 -s 9
          flux housekeeping kill -t node[2-3]
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var all = args.Has("all");
        var jobid = args.Get("jobid");
        var targets = args.Get("targets");
        if (jobid is null && targets is null && !all)
        {
            throw Invalid("specify at least one of --targets, --jobid, or --all");
        }
        if (all && jobid is not null)
        {
            throw Invalid("do not specify --jobid with --all");
        }
        var signum = 15;
        if (args.Get("signal") is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out signum) || signum is < 1 or > 64))
        {
            throw Invalid($"--signal: invalid signal number '{s}' (expected 1-64)");
        }
        var payload = new JsonObject { ["signum"] = signum };
        if (jobid is not null)
        {
            payload["jobid"] = JobIdArg.Parse(jobid);
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (targets is not null)
        {
            // Ranks as given; host names are looked up in the instance's hostlist.
            var ranks = IdSet.TryParse(targets, out var given) ? given
                : Ranks(targets, Hostlist.TryParse(await h.GetAttrAsync("hostlist", ct).ConfigureAwait(false), out var hl) ? hl : Hostlist.Empty, "--targets");
            payload["ranks"] = ranks.Encode(IdSetFormat.Range);
        }
        await h.RpcAsync("job-manager.housekeeping-kill", payload, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }

    /// <summary>An idset of ranks, or a hostlist turned into the ranks of those hosts in the instance's hostlist.</summary>
    internal static IdSet Ranks(string text, Hostlist instanceHosts, string option)
    {
        if (IdSet.TryParse(text, out var ranks))
        {
            return ranks;
        }
        if (!Hostlist.TryParse(text, out var hosts))
        {
            throw Invalid($"{option} must be a valid Idset or Hostlist");
        }
        var b = new IdSetBuilder();
        foreach (var host in hosts)
        {
            var i = instanceHosts.IndexOf(host);
            if (i < 0)
            {
                throw Invalid($"didn't find {host} in instance hostlist");
            }
            b.Add((uint)i);
        }
        return b.Build();
    }
}
