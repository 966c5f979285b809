// flux job raise: raise an exception on a job (severity 0 ends it)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobRaiseCommand : Command
{
    public override string Name => "job raise";

    public override string Summary => "Raise an exception on a job (severity 0 ends it).";

    public override string Usage => "[-s SEVERITY] [-t TYPE] ID [MESSAGE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("severity", 's', "N", "Severity 0-7 (default 0: fatal)."),
        new("type", 't', "TYPE", "Exception type (default 'cancel')."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var id = JobIdArg.Parse(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("job-manager.raise", new JsonObject
        {
            ["id"] = id,
            ["severity"] = args.GetInt("severity", 0, 0, 7),
            ["type"] = args.Get("type") ?? "cancel",
            ["note"] = string.Join(' ', args.Positionals.Skip(1)),
        }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
