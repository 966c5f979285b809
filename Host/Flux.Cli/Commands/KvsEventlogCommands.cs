// flux kvs eventlog append|get|wait-event: RFC 18 eventlogs kept in KVS values, appended and watched.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>Printing RFC 18 events as flux-core does: "TIMESTAMP NAME key=value ...", or raw JSON.</summary>
internal static class EventlogText
{
    public static IEnumerable<JsonObject> Lines(byte[] data)
    {
        foreach (var line in Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonObject? e;
            try
            {
                e = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException ex)
            {
                throw new FluxException(Errno.EINVAL, $"eventlog line is not JSON: {ex.Message}");
            }
            yield return e ?? throw new FluxException(Errno.EINVAL, "eventlog line is not a JSON object");
        }
    }

    public static string Format(JsonObject e, bool unformatted)
    {
        if (unformatted)
        {
            return e.ToJsonString();
        }
        var ts = e["timestamp"]?.GetValue<double>() ?? 0;
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{ts:F6} {e["name"]?.GetValue<string>()}"));
        if (e["context"] is JsonObject ctx)
        {
            foreach (var (k, v) in ctx)
            {
                sb.Append(' ').Append(k).Append('=').Append(v is JsonValue jv && jv.TryGetValue(out string? s) ? s : v?.ToJsonString() ?? "null");
            }
        }
        return sb.ToString();
    }
}

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
            : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
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
        await KvsClient.CommitAsync(h, KvsClient.Namespace(args), [KvsClient.Op(args.Positionals[0], KvsClient.Val(line), KvsClient.OpAppend)], 0, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class KvsEventlogGetCommand : Command
{
    public override string Name => "kvs eventlog get";

    public override string Summary => "Print the events of the eventlog KEY; with --watch, follow new ones.";

    public override string Usage => "[OPTIONS] KEY";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("watch", 'w', null, "Print events as they are appended, until interrupted."),
        new("waitcreate", 'W', null, "Wait for KEY to be created."),
        new("count", 'c', "COUNT", "Stop after COUNT events."),
        new("unformatted", 'u', null, "Print each event as its JSON line."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var key = args.Positionals[0];
        var ns = KvsClient.Namespace(args);
        var count = args.GetInt("count", 0, 0);
        var raw = args.Has("unformatted");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (!args.Has("watch") && !args.Has("waitcreate"))
        {
            var val = await KvsClient.LookupAsync(h, key, 0, ns, null, ct).ConfigureAwait(false);
            var n = 0;
            foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
            {
                Console.WriteLine(EventlogText.Format(e, raw));
                if (count > 0 && ++n >= count)
                {
                    break;
                }
            }
            return 0;
        }
        var flags = KvsClient.WatchAppend | (args.Has("watch") ? KvsClient.Watch : 0) | (args.Has("waitcreate") ? KvsClient.WaitCreate : 0);
        var seen = 0;
        await foreach (var val in KvsClient.WatchAsync(h, key, flags, ns, ct).ConfigureAwait(false))
        {
            foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
            {
                Console.WriteLine(EventlogText.Format(e, raw));
                if (count > 0 && ++seen >= count)
                {
                    return 0;
                }
            }
        }
        return 0;
    }
}

internal sealed class KvsEventlogWaitEventCommand : Command
{
    public override string Name => "kvs eventlog wait-event";

    public override string Summary => "Wait until the event NAME is in the eventlog KEY, then print it.";

    public override string Usage => "[OPTIONS] KEY NAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("timeout", 't', "DURATION", "Fail if the event has not been posted within DURATION (seconds or FSD)."),
        new("waitcreate", 'W', null, "Wait for KEY to be created."),
        new("unformatted", 'u', null, "Print the event as its JSON line."),
        new("quiet", 'q', null, "Print nothing."),
        new("verbose", 'v', null, "Print every event up to and including NAME."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var (key, name) = (args.Positionals[0], args.Positionals[1]);
        var timeout = args.GetSeconds("timeout", -1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout >= 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var flags = KvsClient.Watch | KvsClient.WatchAppend | (args.Has("waitcreate") ? KvsClient.WaitCreate : 0);
        try
        {
            await foreach (var val in KvsClient.WatchAsync(h, key, flags, KvsClient.Namespace(args), cts.Token).ConfigureAwait(false))
            {
                foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
                {
                    var match = e["name"]?.GetValue<string>() == name;
                    if (!args.Has("quiet") && (match || args.Has("verbose")))
                    {
                        Console.WriteLine(EventlogText.Format(e, args.Has("unformatted")));
                    }
                    if (match)
                    {
                        return 0;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FluxException(Errno.ETIMEDOUT, $"{key}: timed out after {args.Get("timeout")} waiting for event '{name}'");
        }
        throw new FluxException(Errno.ENODATA, $"{key}: the watch ended before event '{name}' was posted");
    }
}
