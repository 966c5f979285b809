// flux queue enable|disable|start|stop: one job-manager switch per command, then that switch's status.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>
/// A command that sets one job-manager switch: <paramref name="method"/> is the RPC (queue-enable,
/// queue-start), <paramref name="field"/> the boolean it carries and <paramref name="value"/> its value.
/// As flux-queue.py, it then prints only the status line of that switch.
/// </summary>
internal abstract class QueueSwitchCommand(string name, string summary, string method, string field, bool value) : Command
{
    public override string Name => name;

    public override string Summary => summary;

    public override string Usage => "[OPTIONS] [QUEUE]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("all", 'a', null, "Apply to every queue (required when queues are configured and none is named)."),
        new("message", 'm', "REASON", "Reason shown by flux queue status."),
        new("nocheckpoint", null, null, "Do not keep this setting across a restart."),
        new("quiet", 'q', null, "Do not print the new status."),
        new("verbose", 'v', null, "Show every queue (and, for start and stop, the alloc counts)."),
    ];

    private bool Scheduling => method == "queue-start";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var queue = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        if (Scheduling && queue is null && !args.Has("all"))
        {
            // flux-queue.py's check_all(), before the request.
            var list = await h.RpcAsync("job-manager.queue-list", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            if (list?["queues"] is JsonArray { Count: > 0 })
            {
                throw new FluxException(Errno.EINVAL, "Named queues are defined. Specify queues or use --all.");
            }
        }
        var req = new JsonObject { [field] = value, ["all"] = args.Has("all"), ["nocheckpoint"] = args.Has("nocheckpoint") };
        if (queue is not null)
        {
            req["name"] = queue;
        }
        if (args.Get("message") is { } m)
        {
            req["reason"] = m;
        }
        else if (!Scheduling && !value)
        {
            req["reason"] = "disabled by administrator";
        }
        await h.RpcAsync("job-manager." + method, req, NodeId.Any, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            var verbose = args.Has("verbose");
            var lines = Scheduling ? QueueStatusPrinter.Lines.Scheduling : QueueStatusPrinter.Lines.Submission;
            await QueueStatusPrinter.PrintAsync(h, queue, verbose, lines, ct).ConfigureAwait(false);
            if (Scheduling && verbose)
            {
                await QueueStatusPrinter.PrintAllocAsync(h, ct).ConfigureAwait(false);
            }
        }
        return 0;
    }
}
