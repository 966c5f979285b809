// flux queue enable|disable|start|stop: one job-manager switch per command, then the new status.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal abstract class QueueSwitchCommand : Command
{
    protected abstract string Method { get; }

    protected abstract string Field { get; }

    protected abstract bool Value { get; }

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
        var req = new JsonObject { [Field] = Value, ["all"] = args.Has("all"), ["nocheckpoint"] = args.Has("nocheckpoint") };
        if (args.Positionals.Count == 1)
        {
            req["name"] = args.Positionals[0];
        }
        if (args.Get("message") is { } m)
        {
            req["reason"] = m;
        }
        await h.RpcAsync("job-manager." + Method, req, NodeId.Any, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            await QueueStatusCommand.PrintAsync(h, args.Positionals.Count == 1 ? args.Positionals[0] : null, false, ct).ConfigureAwait(false);
        }
        return 0;
    }
}
