// flux getattr|setattr|lsattr: broker attributes.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class GetattrCommand : Command
{
    public override string Name => "getattr";

    public override string Summary => "Print the value of a broker attribute.";

    public override string Usage => "NAME";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var name = args.Positionals[0];
        var resp = await h.RpcAsync("attr.get", new JsonObject { ["name"] = name }, NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine(resp?["value"]?.GetValue<string>());
        return 0;
    }
}

internal sealed class SetattrCommand : Command
{
    public override string Name => "setattr";

    public override string Summary => "Set a writable broker attribute (instance owner only).";

    public override string Usage => "NAME VALUE";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("attr.set", new JsonObject { ["name"] = args.Positionals[0], ["value"] = args.Positionals[1] }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

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
