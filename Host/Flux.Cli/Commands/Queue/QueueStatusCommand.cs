// flux queue status: show whether submission is enabled and scheduling started
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

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
