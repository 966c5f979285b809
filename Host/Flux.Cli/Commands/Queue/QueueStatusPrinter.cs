// Prints queue status lines as flux-core's flux-queue.py does: per named queue (prefixed "NAME: ")
// or for the anonymous queue, then with -v the job manager's alloc counts.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal static class QueueStatusPrinter
{
    /// <summary>Which of a queue's two switches a command reports.</summary>
    [Flags]
    public enum Lines
    {
        Submission = 1,
        Scheduling = 2,
        Both = Submission | Scheduling,
    }

    /// <summary>
    /// Every named queue (or the anonymous one) when <paramref name="name"/> is null or
    /// <paramref name="verbose"/> is set, else only the queue named, as flux-queue.py's queue_status_get().
    /// </summary>
    public static async Task PrintAsync(IFlux h, string? name, bool verbose, Lines lines, CancellationToken ct)
    {
        var statuses = new List<(string? Name, JsonObject Status)>();
        if (name is null || verbose)
        {
            var list = await h.RpcAsync("job-manager.queue-list", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            var names = (list?["queues"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
            foreach (var q in names)
            {
                statuses.Add((q, await StatusAsync(h, q, ct).ConfigureAwait(false)));
            }
            if (names.Count == 0)
            {
                statuses.Add((name, await StatusAsync(h, null, ct).ConfigureAwait(false)));
            }
        }
        else
        {
            statuses.Add((name, await StatusAsync(h, name, ct).ConfigureAwait(false)));
        }
        foreach (var (q, status) in statuses)
        {
            var prefix = q is null ? string.Empty : q + ": ";
            if ((lines & Lines.Submission) != 0)
            {
                Console.WriteLine(prefix + (status["enable"]!.GetValue<bool>()
                    ? "Job submission is enabled"
                    : "Job submission is disabled: " + status["disable_reason"]?.GetValue<string>()));
            }
            if ((lines & Lines.Scheduling) != 0)
            {
                Console.WriteLine(prefix + (status["start"]!.GetValue<bool>()
                    ? "Scheduling is started"
                    : status["stop_reason"]?.GetValue<string>() is { } reason ? "Scheduling is stopped: " + reason : "Scheduling is stopped"));
            }
        }
    }

    /// <summary>flux-queue.py's alloc_query(): the job manager's queue of alloc requests and running jobs.</summary>
    public static async Task PrintAllocAsync(IFlux h, CancellationToken ct)
    {
        var q = await h.RpcAsync("job-manager.alloc-query", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine($"{q?["queue_length"]} alloc requests queued");
        Console.WriteLine($"{q?["alloc_pending"]} alloc requests pending to scheduler");
        Console.WriteLine($"{q?["running"]} running jobs");
    }

    private static async Task<JsonObject> StatusAsync(IFlux h, string? name, CancellationToken ct)
    {
        var req = new JsonObject();
        if (name is not null)
        {
            req["name"] = name;
        }
        return await h.RpcAsync("job-manager.queue-status", req, NodeId.Any, ct).ConfigureAwait(false) ?? [];
    }
}
