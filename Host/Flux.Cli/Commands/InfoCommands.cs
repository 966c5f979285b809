// flux uptime|version|shutdown: instance state, versions, and stopping an instance.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Connectors;

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
        var owner = uint.Parse(await h.GetAttrAsync("instance-owner", ct).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
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

internal sealed class VersionCommand : Command
{
    public override string Name => "version";

    public override string Summary => "Print the versions of the commands and, inside an instance, of its broker.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var mine = typeof(VersionCommand).Assembly.GetName().Version?.ToString(3);
        Console.WriteLine($"commands:    \t\t{mine}");
        Console.WriteLine($"libflux-core:\t\t{typeof(IFlux).Assembly.GetName().Version?.ToString(3)}");
        Console.WriteLine($"runtime:     \t\t.NET {Environment.Version}");
        if (Environment.GetEnvironmentVariable("FLUX_URI") is { } uri)
        {
            await using var h = await OpenAsync(ct).ConfigureAwait(false);
            Console.WriteLine($"broker:      \t\t{await h.GetAttrAsync("version", ct).ConfigureAwait(false)}");
            Console.WriteLine($"FLUX_URI:    \t\t{uri}");
        }
        return 0;
    }
}

internal sealed class ShutdownCommand : Command
{
    public override string Name => "shutdown";

    public override string Summary => "Shut down the instance (it stops its modules and exits).";

    public override string Usage => "[OPTIONS] [TARGET]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("message", 'm', "TEXT", "Reason logged for the shutdown."),
        new("quiet", 'q', null, "Print nothing."),
        new("gc", null, null, "Remove KVS content unreachable from the final checkpoint as the instance stops."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        var uri = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        await using var h = await FluxConnect.OpenAsync(uri, ct).ConfigureAwait(false);
        if (args.Has("gc"))
        {
            await h.RpcAsync("kvs.gc-on-shutdown", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            if (!args.Has("quiet"))
            {
                Console.Error.WriteLine("flux-shutdown: unreachable KVS content will be removed after the final checkpoint");
            }
        }
        var req = new JsonObject { ["reason"] = args.Get("message") ?? "flux shutdown" };
        await h.RpcAsync("shutdown.start", req, NodeId.Any, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            Console.Error.WriteLine("flux-shutdown: shutdown requested");
        }
        return 0;
    }
}
