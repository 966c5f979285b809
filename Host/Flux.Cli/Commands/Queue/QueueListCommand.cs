// flux queue list: one line per queue with its switches, policy defaults and limits, and resources (flux-core's flux-queue list).
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueListCommand : Command
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["default"] = "?:{queuem:<8.8} ?:{parent:<8.8} {color_enabled}{enabled:>2}{color_off} {color_started}{started:>2}{color_off} "
            + "{defaults.timelimit!F:>8} {limits.timelimit!F:>8} {limits.range.effective.nnodes:>10} {limits.range.effective.ncores:>10} {limits.range.effective.ngpus:>10}",
        ["policy"] = "?:{queuem:<8.8} ?:{parent:<8.8} {color_enabled}{enabled:>2}{color_off} {color_started}{started:>2}{color_off} "
            + "{defaults.timelimit!F:>8} {limits.timelimit!F:>8} {limits.range.nnodes:>10} {limits.range.ncores:>10} {limits.range.ngpus:>10}",
        ["nodes"] = "?:{queuem:<8.8} ?:{parent:<8.8} {color_enabled}{enabled:>2}{color_off} {color_started}{started:>2}{color_off} "
            + "{resources.all.nnodes:>6} {resources.up.nnodes:>10} {resources.down.nnodes:>10} {resources.allocated.nnodes:>11} {resources.free.nnodes:>10}",
    };

    public override string Name => "queue list";

    public override string Summary => "List queues: submission and scheduling switches, default and limit of duration, job size ranges.";

    public override string Usage => "[-n] [-o FORMAT] [-q QUEUE,...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("queue", 'q', "QUEUE,...", "Include only these queues.", Repeatable: true),
        new("format", 'o', "FORMAT", "Output format: a name (default, policy, nodes) or a format string; 'help' lists the names."),
        ResourceOptions.NoHeader,
    ];

    public override string Details => """
        The default queue is marked with '*'. EN and ST say whether submission is enabled and scheduling
        started. TDEFAULT and TLIMIT are the queue's default and maximum duration, NNODES, NCORES and NGPUS
        the job sizes it accepts (up to what it has, with the default format; as configured with -o policy).
        Colors are used only on a terminal. Examples:
          flux queue list
          flux queue list -o nodes
          flux queue list -no '{queue} {submission} {scheduling}'
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        if (ResourceOptions.PrintFormatNames(args.Get("format"), "flux-queue list", Formats))
        {
            return 0;
        }
        var formatter = new ResourceOutputFormat(ResourceOptions.FormatString(args.Get("format"), "FLUX_QUEUE_LIST_FORMAT_DEFAULT", Formats), QueueListRow.Headings);
        var wanted = ResourceOptions.Queues(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var statusTask = h.RpcAsync("sched.resource-status", null, NodeId.Any, ct);
        var configTask = h.RpcAsync("config.get", null, NodeId.Any, ct);
        var resources = await ResourceViews.SchedStatusAsync(statusTask).ConfigureAwait(false);
        var config = (await configTask.ConfigureAwait(false))?["config"] as JsonObject;
        var configured = (config?["queues"] as JsonObject)?.Select(q => q.Key).ToList() ?? [];
        foreach (var q in wanted.Where(q => !configured.Contains(q)))
        {
            throw new FluxException(Errno.EINVAL, $"No such queue: {q}");
        }
        var defaultQueue = config?["policy"]?["jobspec"]?["defaults"]?["system"]?["queue"]?.GetValue<string>() ?? string.Empty;
        var queues = ResourceQueues.From(config);
        var color = !Console.IsOutputRedirected;
        var rows = new List<QueueListRow>();
        if (configured.Count == 0)
        {
            var s = await h.RpcAsync("job-manager.queue-status", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            rows.Add(new QueueListRow(string.Empty, true, Switch(s, "enable"), Switch(s, "start"), config, resources, queues, color));
        }
        else
        {
            // One request per queue, all in flight at once, as flux-core's QueueList sends them.
            var names = wanted.Count > 0 ? [.. configured.Where(wanted.Contains)] : configured;
            var requests = names.Select(q => (Name: q, Task: h.RpcAsync("job-manager.queue-status", new JsonObject { ["name"] = q }, NodeId.Any, ct))).ToList();
            foreach (var (name, task) in requests)
            {
                var s = await task.ConfigureAwait(false);
                rows.Add(new QueueListRow(name, name == defaultQueue, Switch(s, "enable"), Switch(s, "start"), config, resources, queues, color));
            }
        }
        formatter.Print(rows, (r, f) => r.Get(f), args.Has("no-header"), Console.Out);
        return 0;
    }

    private static bool Switch(JsonObject? status, string key) => status?[key]?.GetValue<bool>() ?? false;
}
