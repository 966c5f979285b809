// flux queue drain|idle: wait in one job-manager RPC until the queue reaches a state, with progress on a terminal.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Terminal;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>
/// A command that waits for the job manager's <paramref name="method"/> RPC (queue-drain,
/// queue-idle) to answer. On a terminal it shows how many jobs are left: the pending and running
/// counts of queue-status, polled while the wait is outstanding, against the most seen of the
/// jobs <paramref name="waitsForPending"/> counts (pending and running, or running only).
/// </summary>
internal abstract class QueueWaitCommand(string name, string summary, string method, bool waitsForPending) : Command
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public override string Name => name;

    public override string Summary => summary;

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
        // Any FSD: CancelAfter alone throws past 49.7 days.
        using var timer = timeout >= 0 ? LongTimer.CancelAfter(cts, timeout, TimeProvider.System) : null;
        try
        {
            var wait = h.RpcAsync("job-manager." + method, req, NodeId.Any, cts.Token);
            await TerminalProgress.RunAsync("PD:? R:?", total: null, keep: false, async progress =>
            {
                if (progress.Shown)
                {
                    await ShowProgressAsync(h, req, wait, progress, cts.Token).ConfigureAwait(false);
                }
                return await wait.ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FluxException(Errno.ETIMEDOUT, $"{method}: timeout");
        }
        return 0;
    }

    // Polls queue-status until the wait answers; a status error ends the display, never the wait.
    private async Task ShowProgressAsync(FluxHandle h, JsonObject req, Task wait, ProgressLine progress, CancellationToken ct)
    {
        var most = 0;
        while (!wait.IsCompleted)
        {
            JsonObject? status;
            try
            {
                status = await h.RpcAsync("job-manager.queue-status", req.DeepClone().AsObject(), NodeId.Any, ct).ConfigureAwait(false);
            }
            catch (FluxException)
            {
                return;
            }
            int active = 0, running = 0;
            foreach (var q in (status?["queues"] as JsonArray ?? []).OfType<JsonObject>())
            {
                active += q["active"]?.GetValue<int>() ?? 0;
                running += q["running"]?.GetValue<int>() ?? 0;
            }
            var left = waitsForPending ? active : running;
            most = Math.Max(most, left);
            progress.Describe(string.Create(CultureInfo.InvariantCulture, $"PD:{active - running} R:{running}"));
            progress.Set(most - left, most);
            await Task.WhenAny(wait, Task.Delay(PollInterval, ct)).ConfigureAwait(false);
        }
    }
}
