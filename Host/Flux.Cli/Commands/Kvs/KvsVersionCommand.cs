// flux kvs version: print the root sequence number (version) of a namespace
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsVersionCommand : Command
{
    public override string Name => "kvs version";

    public override string Summary => "Print the root sequence number (version) of a namespace.";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var r = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        Console.WriteLine(r["rootseq"]!.GetValue<long>());
        return 0;
    }
}
