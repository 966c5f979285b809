// flux kvs namespace create|remove|list: KVS namespaces and their owners (kvs.namespace-* RPCs).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsNamespaceCreateCommand : Command
{
    public override string Name => "kvs namespace create";

    public override string Summary => "Create each namespace NS, owned by the instance owner or by --owner.";

    public override string Usage => "[OPTIONS] NS [NS...]";

    public override IReadOnlyList<OptionSpec> Options => [new("owner", 'o', "UID", "Give the namespace to userid UID (a guest may then use it).")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        foreach (var ns in args.Positionals)
        {
            var req = new JsonObject { ["namespace"] = ns, ["flags"] = 0 };
            if (args.Get("owner") is { } o)
            {
                req["owner"] = uint.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    ? uid
                    : throw new UsageException($"--owner: expected a numeric userid, got '{o}'");
            }
            await h.RpcAsync("kvs.namespace-create", req, NodeId.Any, ct).ConfigureAwait(false);
        }
        return 0;
    }
}

internal sealed class KvsNamespaceRemoveCommand : Command
{
    public override string Name => "kvs namespace remove";

    public override string Summary => "Remove each namespace NS and everything in it.";

    public override string Usage => "NS [NS...]";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        foreach (var ns in args.Positionals)
        {
            await h.RpcAsync("kvs.namespace-remove", new JsonObject { ["namespace"] = ns }, NodeId.Any, ct).ConfigureAwait(false);
        }
        return 0;
    }
}

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
