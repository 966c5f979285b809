// flux queue status|enable|disable|start|stop|drain|idle: queue control as in the admin guide.
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

internal sealed class QueueEnableCommand : QueueSwitchCommand
{
    public override string Name => "queue enable";

    public override string Summary => "Allow jobs to be submitted.";

    protected override string Method => "queue-enable";

    protected override string Field => "enable";

    protected override bool Value => true;
}

internal sealed class QueueDisableCommand : QueueSwitchCommand
{
    public override string Name => "queue disable";

    public override string Summary => "Refuse new submissions (jobs already queued stay).";

    protected override string Method => "queue-enable";

    protected override string Field => "enable";

    protected override bool Value => false;
}

internal sealed class QueueStartCommand : QueueSwitchCommand
{
    public override string Name => "queue start";

    public override string Summary => "Start scheduling jobs.";

    protected override string Method => "queue-start";

    protected override string Field => "start";

    protected override bool Value => true;
}

internal sealed class QueueStopCommand : QueueSwitchCommand
{
    public override string Name => "queue stop";

    public override string Summary => "Stop scheduling: queued jobs wait, running jobs continue.";

    protected override string Method => "queue-start";

    protected override string Field => "start";

    protected override bool Value => false;
}

internal sealed class QueueStatusCommand : Command
{
    public override string Name => "queue status";

    public override string Summary => "Show whether submission is enabled and scheduling started.";

    public override string Usage => "[-v] [QUEUE]";

    public override IReadOnlyList<OptionSpec> Options => [new("verbose", 'v', null, "Also show queued, pending and running job counts.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await PrintAsync(h, args.Positionals.Count == 1 ? args.Positionals[0] : null, args.Has("verbose"), ct).ConfigureAwait(false);
        return 0;
    }

    public static async Task PrintAsync(IFlux h, string? name, bool verbose, CancellationToken ct)
    {
        var req = new JsonObject();
        if (name is not null)
        {
            req["name"] = name;
        }
        var resp = await h.RpcAsync("job-manager.queue-status", req, NodeId.Any, ct).ConfigureAwait(false);
        foreach (var q in (resp?["queues"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var qn = q["name"]!.GetValue<string>();
            var prefix = qn.Length > 0 ? qn + ": " : string.Empty;
            var enabled = q["enable"]!.GetValue<bool>();
            var started = q["start"]!.GetValue<bool>();
            Console.WriteLine(prefix + (enabled ? "Job submission is enabled" : "Job submission is disabled: " + q["disable_reason"]?.GetValue<string>()));
            Console.WriteLine(prefix + (started ? "Scheduling is started" : "Scheduling is stopped: " + q["stop_reason"]?.GetValue<string>()));
            if (verbose)
            {
                Console.WriteLine($"{prefix}{q["active"]!.GetValue<int>() - q["running"]!.GetValue<int>()} pending jobs");
                Console.WriteLine($"{prefix}{q["running"]!.GetValue<int>()} running jobs");
            }
        }
    }
}

internal abstract class QueueWaitCommand : Command
{
    protected abstract string Method { get; }

    public override string Usage => "[--timeout=FSD] [QUEUE]";

    public override IReadOnlyList<OptionSpec> Options => [new("timeout", null, "FSD", "Give up after this long (exit 1).")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new JsonObject();
        if (args.Positionals.Count == 1)
        {
            req["name"] = args.Positionals[0];
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeout = args.GetSeconds("timeout", -1);
        if (timeout >= 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        try
        {
            await h.RpcAsync("job-manager." + Method, req, NodeId.Any, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FluxException(Errno.ETIMEDOUT, $"{Method}: timeout");
        }
        return 0;
    }
}

internal sealed class QueueDrainCommand : QueueWaitCommand
{
    public override string Name => "queue drain";

    public override string Summary => "Wait until there are no active jobs (pending or running).";

    protected override string Method => "queue-drain";
}

internal sealed class QueueIdleCommand : QueueWaitCommand
{
    public override string Name => "queue idle";

    public override string Summary => "Wait until no job is running.";

    protected override string Method => "queue-idle";
}
