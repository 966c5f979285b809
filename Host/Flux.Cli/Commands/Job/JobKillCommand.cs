// flux job kill: send a signal to a running job's tasks (default SIGTERM)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobKillCommand : Command
{
    public override string Name => "job kill";

    public override string Summary => "Send a signal to a running job's tasks (default SIGTERM).";

    public override string Usage => "[-s SIGNAL] ID";

    public override IReadOnlyList<OptionSpec> Options => [new("signal", 's', "SIG", "Signal name or number.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var id = JobIdArg.Parse(args.Positionals[0]);
        var sig = args.Get("signal") ?? "SIGTERM";
        var signum = Signals.Parse(sig) ?? throw new UsageException($"invalid signal '{sig}'");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.kill", new JsonObject { ["id"] = id, ["signum"] = signum }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
