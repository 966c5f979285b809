// flux startlog: the instance's starts and stops, crashes included.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class StartlogCommand : Command
{
    public override string Name => "startlog";

    public override string Summary => "List the instance's runs: start, stop and duration, or 'crashed'.";

    public override IReadOnlyList<OptionSpec> Options => [new("check", null, null, "Exit 1 if the current run followed a crash (no output).")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("broker.startlog", null, NodeId.Any, ct).ConfigureAwait(false);
        if (!(resp?["statedir"]?.GetValue<bool>() ?? false))
        {
            throw new FluxException(Errno.ENOENT, "this instance has no statedir (start it with -S statedir=DIR to keep a start log)");
        }
        var events = (resp["events"] as JsonArray ?? []).Select(e => Eventlog.ParseEntry(e!.ToJsonString() + "\n")).ToList();
        var runs = new List<(double Start, double? End, bool Crashed)>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Name != "start")
            {
                continue;
            }
            var next = i + 1 < events.Count ? events[i + 1] : null;
            runs.Add(next?.Name == "finish" ? (events[i].Timestamp, next.Timestamp, false) : (events[i].Timestamp, null, next is not null));
        }
        if (args.Has("check"))
        {
            return runs.Count >= 2 && runs[^2].Crashed ? 1 : 0;
        }
        foreach (var (start, end, crashed) in runs)
        {
            var s = Time(start);
            var rest = end is { } e ? $"{Time(e)} ({Fsd.Format(Math.Round(e - start, 1))})" : crashed ? "crashed" : "running";
            Console.WriteLine($"{s} - {rest}");
        }
        return 0;
    }

    private static string Time(double t) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
