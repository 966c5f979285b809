// flux ping: round-trip TARGET.ping and report per-reply latency and a min/avg/max summary.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class PingCommand : Command
{
    public override string Name => "ping";

    public override string Summary => "Send TARGET.ping requests and show the round-trip time of each.";

    public override string Usage => "[OPTIONS] TARGET";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("count", 'c', "N", "Stop after N pings (default: until interrupted)."),
        new("interval", 'i', "FSD", "Wait this long between pings (default 1s; e.g. 0.001, 10ms)."),
        new("pad", 'p', "N", "Add N bytes of padding to each request."),
        new("rank", 'r', "RANK", "Send to this broker rank."),
        new("batch", 'b', null, "Send all N requests at once, then wait for the responses."),
        new("userid", 'u', null, "Include the userid and rolemask the broker saw."),
    ];

    public override string Details => """
        TARGET is a service name (broker, kvs, hello, ...), a rank (0: broker.ping on rank 0), or
        RANK!SERVICE.

        Example: flux ping --count 100 --interval 0 broker
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var (service, nodeId) = ParseTarget(args.Positionals[0], args.Get("rank"));
        var count = args.GetInt("count", int.MaxValue, 1);
        var interval = args.GetSeconds("interval", 1.0);
        var pad = new string('p', args.GetInt("pad", 0, 0));
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        // Each response is reported where it is read: the loop below only awaits, never blocks.
        h.InlineContinuations = true;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var times = new List<double>();
        var sent = 0;
        var total = Stopwatch.StartNew();
        var topic = service + ".ping";
        try
        {
            if (args.Has("batch"))
            {
                var n = count == int.MaxValue ? 1 : count;
                var tasks = new List<(int Seq, long Start, Task<JsonObject?> Reply)>();
                for (var seq = 0; seq < n; seq++)
                {
                    sent++;
                    tasks.Add((seq, Stopwatch.GetTimestamp(), h.RpcAsync(topic, Payload(seq, pad), nodeId, stop.Token)));
                }
                foreach (var (seq, start, reply) in tasks)
                {
                    var resp = await reply.ConfigureAwait(false);
                    Report(topic, seq, pad.Length, Stopwatch.GetElapsedTime(start).TotalMilliseconds, resp, args.Has("userid"), times);
                }
            }
            else
            {
                for (var seq = 0; seq < count && !stop.IsCancellationRequested; seq++)
                {
                    if (seq > 0 && interval > 0)
                    {
                        await LongTimer.DelayAsync(interval, TimeProvider.System, stop.Token).ConfigureAwait(false);
                    }
                    sent++;
                    var start = Stopwatch.GetTimestamp();
                    var resp = await h.RpcAsync(topic, Payload(seq, pad), nodeId, stop.Token).ConfigureAwait(false);
                    Report(topic, seq, pad.Length, Stopwatch.GetElapsedTime(start).TotalMilliseconds, resp, args.Has("userid"), times);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted: fall through to the summary.
        }
        if (times.Count > 0)
        {
            var avg = times.Average();
            var mdev = Math.Sqrt(times.Select(t => (t - avg) * (t - avg)).Average());
            var loss = sent == 0 ? 0 : 100 * (sent - times.Count) / sent;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sent} packets transmitted, {times.Count} received, {loss}% loss, time {total.Elapsed.TotalSeconds:F3}s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rtt min/avg/max/mdev = {times.Min():F3}/{avg:F3}/{times.Max():F3}/{mdev:F3} ms"));
        }
        return times.Count == sent ? 0 : 1;
    }

    private static JsonObject Payload(int seq, string pad) => new()
    {
        ["seq"] = seq,
        ["pad"] = pad,
        ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
    };

    private static void Report(string topic, int seq, int pad, double ms, JsonObject? resp, bool showUser, List<double> times)
    {
        times.Add(ms);
        var route = resp?["route"]?.GetValue<string>() ?? string.Empty;
        var user = showUser && resp?["userid"] is { } u ? $" userid={u} rolemask=0x{resp["rolemask"]!.GetValue<uint>():x}" : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topic} pad={pad} seq={seq} time={ms:F3} ms ({route}){user}"));
    }

    private static (string Service, uint NodeId) ParseTarget(string target, string? rankOpt)
    {
        uint nodeId = NodeId.Any;
        if (rankOpt is not null)
        {
            nodeId = ParseRank(rankOpt);
        }
        var bang = target.IndexOf('!', StringComparison.Ordinal);
        if (bang >= 0)
        {
            return (target[(bang + 1)..], ParseRank(target[..bang]));
        }
        if (uint.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var rank))
        {
            return ("broker", rank);
        }
        if (target.Length == 0 || target.Contains('.', StringComparison.Ordinal))
        {
            throw new UsageException($"invalid TARGET '{target}': expected a service name, a rank, or RANK!SERVICE");
        }
        return (target, nodeId);
    }

    private static uint ParseRank(string s) =>
        s == "any" ? NodeId.Any
        : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r
        : throw new UsageException($"invalid rank '{s}'");
}
