// flux module stats: show a module's message counters (messages in and out by type)
using System.Text.Json;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleStatsCommand : Command
{
    public override string Name => "module stats";

    public override string Summary => "Show a module's message counters (messages in and out by type).";

    public override string Usage => "[-p KEY] [-c] NAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("parse", 'p', "KEY", "Print only the value of KEY (e.g. request.rx)."),
        new("clear", 'c', null, "Clear the counters."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var name = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Has("clear"))
        {
            await h.RpcAsync(name + ".stats-clear", null, NodeId.Any, ct).ConfigureAwait(false);
            return 0;
        }
        var stats = await h.RpcAsync(name + ".stats-get", null, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        if (args.Get("parse") is { } key)
        {
            var v = stats[key] ?? throw new FluxException(Errno.ENOENT, $"{name}: no stat named '{key}'");
            Console.WriteLine(v.ToJsonString());
            return 0;
        }
        Console.WriteLine(stats.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
