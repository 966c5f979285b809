// flux kvs mkdir: create an empty directory at each KEY
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class KvsMkdirCommand : Command
{
    public override string Name => "kvs mkdir";

    public override string Summary => "Create an empty directory at each KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray();
        foreach (var key in args.Positionals)
        {
            if (await KvsClient.TryLookupAsync(h, key, KvsClient.TreeObjFlag, ns, ct).ConfigureAwait(false) is not null)
            {
                throw new FluxException(Errno.EEXIST, $"cannot create directory '{key}': File exists");
            }
            ops.Add((JsonNode)KvsClient.Op(key, KvsClient.EmptyDir()));
        }
        await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        return 0;
    }
}
