// flux lsattr: list broker attributes
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class LsattrCommand : Command
{
    public override string Name => "lsattr";

    public override string Summary => "List broker attributes.";

    public override IReadOnlyList<OptionSpec> Options => [new("values", 'v', null, "Also print each value ('-' when unset).")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("attr.list", null, NodeId.Any, ct).ConfigureAwait(false);
        var names = (resp?["names"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        if (!args.Has("values"))
        {
            names.ForEach(Console.WriteLine);
            return 0;
        }
        var width = names.Count == 0 ? 0 : names.Max(n => n.Length) + 1;
        foreach (var n in names)
        {
            string value;
            try
            {
                var v = await h.RpcAsync("attr.get", new JsonObject { ["name"] = n }, NodeId.Any, ct).ConfigureAwait(false);
                value = v?["value"]?.GetValue<string>() ?? "-";
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
            {
                value = "-";
            }
            Console.WriteLine($"{n.PadRight(width)} {value}");
        }
        return 0;
    }
}
