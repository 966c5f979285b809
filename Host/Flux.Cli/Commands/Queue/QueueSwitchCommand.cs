// flux queue enable|disable|start|stop: one job-manager switch per command, then the new status.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>
/// A command that sets one job-manager switch: <paramref name="method"/> is the RPC (queue-enable,
/// queue-start), <paramref name="field"/> the boolean it carries and <paramref name="value"/> its value.
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
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new JsonObject { [field] = value, ["all"] = args.Has("all"), ["nocheckpoint"] = args.Has("nocheckpoint") };
        if (args.Positionals.Count == 1)
        {
            req["name"] = args.Positionals[0];
        }
        if (args.Get("message") is { } m)
        {
            req["reason"] = m;
        }
        await h.RpcAsync("job-manager." + method, req, NodeId.Any, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            await QueueStatusCommand.PrintAsync(h, args.Positionals.Count == 1 ? args.Positionals[0] : null, false, ct).ConfigureAwait(false);
        }
        return 0;
    }
}
