// flux rpc: send one request to any service and print the response payload (a plugin author's tool).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class RpcCommand : Command
{
    public override string Name => "rpc";

    public override string Summary => "Send a request to TOPIC with a JSON payload and print the response.";

    public override string Usage => "[OPTIONS] TOPIC [JSON]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("rank", 'r', "RANK", "Send to this broker rank (default: any)."),
        new("stream", 's', null, "Streaming request: print each response until the stream ends."),
        new("raw", null, null, "Print the payload as received instead of as JSON."),
    ];

    public override string Details => """
        Example: flux rpc hello.greet '{"name":"Ada"}'
        An error response is printed as 'flux-rpc: TOPIC: TEXT' with exit code 1.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 2);
        JsonObject? payload = null;
        if (args.Positionals.Count == 2)
        {
            try
            {
                payload = JsonNode.Parse(args.Positionals[1]) as JsonObject
                    ?? throw new UsageException("JSON payload must be an object");
            }
            catch (JsonException ex)
            {
                throw new UsageException($"invalid JSON payload: {ex.Message}");
            }
        }
        var rank = args.Get("rank") is { } r
            ? uint.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"invalid rank '{r}'")
            : NodeId.Any;
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var topic = args.Positionals[0];
        var req = Message.Request(topic, payload, rank);
        try
        {
            if (args.Has("stream"))
            {
                await foreach (var m in h.StreamAsync(req, ct).ConfigureAwait(false))
                {
                    Print(m, args.Has("raw"));
                }
            }
            else
            {
                Print(await h.RequestAsync(req, ct).ConfigureAwait(false), args.Has("raw"));
            }
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"{topic}: {ex.Message}");
        }
        return 0;
    }

    private static void Print(Message m, bool raw)
    {
        if (!m.HasPayload)
        {
            return;
        }
        Console.WriteLine(raw ? m.GetString() : m.GetJson().ToJsonString());
    }
}
