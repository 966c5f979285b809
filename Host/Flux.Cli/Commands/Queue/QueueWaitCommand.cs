// flux queue drain|idle: wait in one job-manager RPC until the queue reaches a state.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

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
