// flux uptime: show how long the instance has run, its owner, depth and size
using System.Globalization;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class UptimeCommand : Command
{
    public override string Name => "uptime";

    public override string Summary => "Show how long the instance has run, its owner, depth and size.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var start = double.Parse(await h.GetAttrAsync("broker.starttime", ct).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
        var owner = uint.Parse(await h.GetAttrAsync("security.owner", ct).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
        var depth = await h.GetAttrAsync("instance-level", ct).ConfigureAwait(false) ?? "0";
        var state = await h.GetAttrAsync("broker.state", ct).ConfigureAwait(false) ?? "run";
        var elapsed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - start;
        var parts = new List<string>
        {
            $" {DateTime.Now:HH:mm:ss} {state} {Fsd.Format(Math.Round(Math.Max(elapsed, 0), 1))}",
            $"owner {UserNames.Name(owner)}",
            $"depth {depth}",
            $"size {h.Size}",
        };
        if (await h.GetAttrAsync("broker.safe-mode", ct).ConfigureAwait(false) is { } safe)
        {
            parts.Add("safe mode: " + safe);
        }
        Console.WriteLine(string.Join(",  ", parts));
        return 0;
    }
}
