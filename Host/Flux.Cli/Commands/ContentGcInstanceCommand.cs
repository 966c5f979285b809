// flux content gc-instance: the part of `flux content gc` that runs inside its storage-only broker.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

/// <summary>
/// <c>flux content gc --statedir=DIR</c> starts a broker on DIR with only content, content-sqlite
/// and kvs, with this command as its initial program: it asks for collection at unload, removes kvs
/// (its final checkpoint names what is live) and content-sqlite (which then removes the rest), and
/// prints content-sqlite's report from the broker log.
/// </summary>
internal sealed class ContentGcInstanceCommand : Command
{
    public override string Name => "content gc-instance";

    public override string Summary => "Inside the broker 'flux content gc' starts: collect, then print the report.";

    public override bool Hidden => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("quiet", 'q', null, "Print nothing."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("kvs.gc-on-shutdown", new JsonObject(), NodeId.Any, ct).ConfigureAwait(false);
        foreach (var module in new[] { "kvs", "content-sqlite" })
        {
            await h.RpcAsync("module.remove", new JsonObject { ["name"] = module }, NodeId.Any, ct).ConfigureAwait(false);
        }
        string? report = null;
        await foreach (var m in h.StreamAsync(Message.Request("log.dmesg", new JsonObject { ["follow"] = false }), ct).ConfigureAwait(false))
        {
            var e = StdlogRecord.Decode(m.GetString() ?? string.Empty);
            if (e.AppName == "content-sqlite" && e.Text.StartsWith("gc:", StringComparison.Ordinal))
            {
                report = e.Text;
            }
        }
        if (!args.Has("quiet"))
        {
            Console.WriteLine("flux-content: " + (report ?? "gc finished"));
        }
        return 0;
    }
}
