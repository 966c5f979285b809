// flux kvs wait: wait until a namespace's version is at least VERSION
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsWaitCommand : Command
{
    public override string Name => "kvs wait";

    public override string Summary => "Wait until a namespace's version is at least VERSION.";

    public override string Usage => "[OPTIONS] VERSION";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        if (!long.TryParse(args.Positionals[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) || version < 0)
        {
            throw new UsageException($"VERSION: expected a number >= 0, got '{args.Positionals[0]}'");
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("kvs.wait-version", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary", ["rootseq"] = version }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
