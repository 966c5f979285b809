// flux kvs namespace list: list namespaces (a guest sees only the ones it owns): NAMESPACE OWNER FLAGS
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsNamespaceListCommand : Command
{
    public override string Name => "kvs namespace list";

    public override string Summary => "List namespaces (a guest sees only the ones it owns): NAMESPACE OWNER FLAGS.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("kvs.namespace-list", null, NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine($"{"NAMESPACE",-36} {"OWNER",-10} {"FLAGS",-10}");
        foreach (var ns in resp?["namespaces"] as JsonArray ?? [])
        {
            var flags = ns!["flags"]!.GetValue<int>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ns["namespace"]!.GetValue<string>(),-36} {ns["owner"]!.GetValue<uint>(),-10} 0x{flags:x8}"));
        }
        return 0;
    }
}
