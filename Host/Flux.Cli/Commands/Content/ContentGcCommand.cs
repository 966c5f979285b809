// flux content gc: offline: remove the blobs of a stopped instance's statedir that its KVS no longer reaches
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Core.Connectors;

namespace Flux.Cli.Commands;

internal sealed class ContentGcCommand : Command
{
    public override string Name => "content gc";

    public override string Summary => "Offline: remove the blobs of a stopped instance's statedir that its KVS no longer reaches.";

    public override string Usage => "--statedir=DIR";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("statedir", 'S', "DIR", "The statedir of a stopped instance (holding content.sqlite)."),
        CommonOptions.Quiet,
    ];

    public override string Details => """
        The instance must be stopped; for a running one use 'flux shutdown --gc'. The KVS is loaded
        from its last checkpoint, the blobs it reaches are kept and the others removed.

        Example: flux content gc --statedir=/var/lib/flux
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var dir = args.Get("statedir") ?? throw new UsageException("--statedir=DIR is required");
        var db = Path.Combine(dir, "content.sqlite");
        if (!File.Exists(db))
        {
            throw new FluxException(Errno.ENOENT, $"{db}: No such file or directory");
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"content-gc-{Environment.ProcessId}");
        var options = new BrokerOptions { Listen = false, LoopName = name, Rc1Modules = ["content", "content-sqlite", "kvs"] };
        options.Attributes["statedir"] = Path.GetFullPath(dir);
        var broker = new Broker(options);
        await using (broker.ConfigureAwait(false))
        {
            await broker.StartAsync(ct).ConfigureAwait(false);
            var h = await FluxConnect.OpenAsync("loop://" + name, ct).ConfigureAwait(false);
            await using (h.ConfigureAwait(false))
            {
                await h.RpcAsync("kvs.gc-on-shutdown", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
            }
        }
        var report = broker.Log.Snapshot().LastOrDefault(e => e.Name == "content-sqlite" && e.Text.StartsWith("gc:", StringComparison.Ordinal));
        if (!args.Has("quiet"))
        {
            Console.WriteLine("flux-content: " + (report?.Text ?? "gc finished"));
        }
        return 0;
    }
}
