// flux dmesg: print (and follow, or clear) the broker's log ring buffer.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class DmesgCommand : Command
{
    public override string Name => "dmesg";

    public override string Summary => "Print the broker's log ring buffer.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("clear", 'C', null, "Clear the ring buffer (print nothing)."),
        new("read-clear", 'c', null, "Print the ring buffer, then clear it."),
        new("follow", 'f', null, "Keep printing new entries as they are logged."),
        new("new", 'n', null, "With --follow, print only entries logged from now on."),
        new("human", 'H', null, "Human-readable timestamps (relative to the first, local time of day)."),
        new("delta", 'd', null, "With --human, print the time between entries."),
        new("level", 'L', "LEVEL", "Print only entries at this severity or more severe (err, warning, info, debug or 0-7)."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Has("clear"))
        {
            await h.RpcAsync("log.clear", null, NodeId.Any, ct).ConfigureAwait(false);
            return 0;
        }
        var maxLevel = ParseLevel(args.Get("level"));
        var req = Message.Request("log.dmesg", new JsonObject { ["follow"] = args.Has("follow"), ["nobacklog"] = args.Has("new") });
        double? first = null;
        double? prev = null;
        await foreach (var m in h.StreamAsync(req, ct).ConfigureAwait(false))
        {
            // flux-core's ring entries are RFC 5424 text (Flux.NET's broker answers the same).
            var e = StdlogRecord.Decode(m.GetString() ?? string.Empty);
            var level = e.Severity;
            if (level > maxLevel)
            {
                continue;
            }
            var ts = e.Timestamp;
            first ??= ts;
            string when;
            if (args.Has("human"))
            {
                var local = DateTimeOffset.FromUnixTimeMilliseconds((long)(ts * 1000)).ToLocalTime();
                when = first == ts
                    ? $"[{local:MMMdd HH:mm}]"
                    : args.Has("delta") && prev is { } p
                        ? string.Create(CultureInfo.InvariantCulture, $"[+{ts - p,10:F6}]")
                        : string.Create(CultureInfo.InvariantCulture, $"[+{ts - first.Value,10:F6}]");
            }
            else
            {
                when = DateTimeOffset.FromUnixTimeMilliseconds((long)(ts * 1000)).ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
            }
            prev = ts;
            Console.WriteLine($"{when} {e.AppName}.{SyslogLevel.Name(level)}[{e.Hostname}]: {e.Text}");
        }
        if (args.Has("read-clear"))
        {
            await h.RpcAsync("log.clear", null, NodeId.Any, ct).ConfigureAwait(false);
        }
        return 0;
    }

    private static int ParseLevel(string? s)
    {
        if (s is null)
        {
            return 7;
        }
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 7)
        {
            return n;
        }
        for (var i = 0; i <= 7; i++)
        {
            if (SyslogLevel.Name(i) == s)
            {
                return i;
            }
        }
        throw new UsageException($"--level: unknown level '{s}' (emerg, alert, crit, err, warning, notice, info, debug or 0-7)");
    }
}
