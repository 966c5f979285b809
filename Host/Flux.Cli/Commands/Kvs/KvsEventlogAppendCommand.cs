// flux kvs eventlog append: append an event NAME with optional JSON object CONTEXT to the eventlog KEY
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsEventlogAppendCommand : Command
{
    public override string Name => "kvs eventlog append";

    public override string Summary => "Append an event NAME with optional JSON object CONTEXT to the eventlog KEY.";

    public override string Usage => "[OPTIONS] KEY NAME [CONTEXT]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("timestamp", 't', "SECONDS", "Use this timestamp instead of the current time."),
    ];

    public override string Details => """
        Example: flux kvs eventlog append test.log started '{"rank":0}'
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2, 3);
        var ts = args.Get("timestamp") is { } t
            ? double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new UsageException($"--timestamp: expected a number > 0, got '{t}'")
            : Flux.Formats.EventlogEntry.Now();
        var entry = new JsonObject { ["timestamp"] = ts, ["name"] = args.Positionals[1] };
        if (args.Positionals.Count == 3)
        {
            JsonNode? ctx;
            try
            {
                ctx = JsonNode.Parse(args.Positionals[2]);
            }
            catch (JsonException)
            {
                ctx = null;
            }
            entry["context"] = ctx as JsonObject ?? throw new FluxException(Errno.EINVAL, $"context must be a JSON object, got '{args.Positionals[2]}'");
        }
        var line = Encoding.UTF8.GetBytes(entry.ToJsonString() + "\n");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await KvsClient.CommitAsync(h, KvsClient.Namespace(args), [(JsonNode)KvsClient.Op(args.Positionals[0], KvsClient.Val(line), KvsClient.OpAppend)], 0, ct).ConfigureAwait(false);
        return 0;
    }
}
