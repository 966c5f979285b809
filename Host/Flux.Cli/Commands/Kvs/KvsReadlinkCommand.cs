// flux kvs readlink: print the target of each symbolic link KEY
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsReadlinkCommand : Command
{
    public override string Name => "kvs readlink";

    public override string Summary => "Print the target of each symbolic link KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("namespace-only", 'o', null, "Print only the target's namespace."),
        new("key-only", 'k', null, "Print only the target key, without NS::."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        foreach (var key in args.Positionals)
        {
            var link = await KvsClient.LookupAsync(h, key, KvsClient.ReadLink, ns, null, ct).ConfigureAwait(false);
            var target = link["data"]!["target"]!.GetValue<string>();
            var tns = link["data"]!["namespace"]?.GetValue<string>();
            Console.WriteLine(args.Has("namespace-only") ? tns ?? string.Empty
                : tns is null || args.Has("key-only") ? target : $"{tns}::{target}");
        }
        return 0;
    }
}
