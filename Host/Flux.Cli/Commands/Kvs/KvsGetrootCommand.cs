// flux kvs getroot: print the root of a namespace as a dirref tree object (or part of it)
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsGetrootCommand : Command
{
    public override string Name => "kvs getroot";

    public override string Summary => "Print the root of a namespace as a dirref tree object (or part of it).";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("sequence", 's', null, "Print the root sequence number."),
        new("owner", 'o', null, "Print the namespace owner's userid."),
        new("blobref", 'b', null, "Print the root blobref."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var r = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        var rootref = r["rootref"]!.GetValue<string>();
        if (args.Has("sequence"))
        {
            Console.WriteLine(r["rootseq"]!.GetValue<long>());
        }
        else if (args.Has("owner"))
        {
            Console.WriteLine(r["owner"]!.GetValue<uint>());
        }
        else if (args.Has("blobref"))
        {
            Console.WriteLine(rootref);
        }
        else
        {
            Console.WriteLine(new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(rootref) }.ToJsonString());
        }
        return 0;
    }
}
