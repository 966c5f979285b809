// flux kvs namespace create: create each namespace NS, owned by the instance owner or by --owner
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
