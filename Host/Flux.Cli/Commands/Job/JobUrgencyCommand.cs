// flux job urgency: change a pending job's urgency: 0-31, hold, expedite or default
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobUrgencyCommand : Command
{
    public override string Name => "job urgency";

    public override string Summary => "Change a pending job's urgency: 0-31, hold, expedite or default.";

    public override string Usage => "[-v] ID URGENCY";

    public override IReadOnlyList<OptionSpec> Options => [new("verbose", 'v', null, "Print the old and new urgency.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var id = JobIdArg.Parse(args.Positionals[0]);
        var urgency = Jobs.SubmitOptions.ParseUrgency(args.Positionals[1]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-manager.urgency", new JsonObject { ["id"] = id, ["urgency"] = urgency }, NodeId.Any, ct).ConfigureAwait(false);
        if (args.Has("verbose"))
        {
            Console.WriteLine($"{JobIdArg.F58(id)}: urgency changed from {UrgencyName(resp?["old_urgency"]?.GetValue<int>() ?? 16)} to {UrgencyName(urgency)}");
        }
        return 0;
    }

    private static string UrgencyName(int u) => u switch
    {
        0 => "hold",
        31 => "expedite",
        _ => u.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
