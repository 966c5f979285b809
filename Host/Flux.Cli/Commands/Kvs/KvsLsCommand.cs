// flux kvs ls: list the names in each directory KEY (default '.'), like ls(1)
using System.Text.Json.Nodes;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsLsCommand : Command
{
    public override string Name => "kvs ls";

    public override string Summary => "List the names in each directory KEY (default '.'), like ls(1).";

    public override string Usage => "[OPTIONS] [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "List subdirectories recursively."),
        new("directory", 'd', null, "List directory keys themselves, not their contents."),
        new("classify", 'F', null, "Append '.' to directories and '@' to symlinks."),
        new("one", '1', null, "One name per line (the default when output is not a terminal)."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var keys = args.Positionals.Count > 0 ? args.Positionals.ToList() : ["."];
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var onePerLine = args.Has("one") || Console.IsOutputRedirected;
        var many = keys.Count > 1 || args.Has("recursive");
        var first = true;
        foreach (var key in keys)
        {
            await ListOneAsync(h, key, ns, args, onePerLine, many, first, ct).ConfigureAwait(false);
            first = false;
        }
        return 0;
    }

    private static async Task ListOneAsync(FluxHandle h, string key, string? ns, ParsedArgs args, bool onePerLine, bool header, bool first, CancellationToken ct)
    {
        var treeobj = await KvsClient.LookupAsync(h, key, KvsClient.TreeObjFlag, ns, null, ct).ConfigureAwait(false);
        if (args.Has("directory") || !KvsClient.IsDir(treeobj) && key != ".")
        {
            Console.WriteLine(Classify(key, treeobj, args.Has("classify")));
            return;
        }
        var dir = await KvsClient.LookupAsync(h, key, KvsClient.ReadDir, ns, null, ct).ConfigureAwait(false);
        var entries = (dir["data"] as JsonObject ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (header)
        {
            if (!first)
            {
                Console.WriteLine();
            }
            Console.WriteLine(key + ":");
        }
        var names = entries.Select(e => Classify(e.Key, e.Value, args.Has("classify"))).ToList();
        if (onePerLine)
        {
            names.ForEach(Console.WriteLine);
        }
        else if (names.Count > 0)
        {
            var col = names.Max(n => n.Length) + 2;
            var perLine = Math.Max(1, Math.Max(Console.WindowWidth, 20) / col);
            for (var i = 0; i < names.Count; i += perLine)
            {
                Console.WriteLine(string.Concat(names.Skip(i).Take(perLine).Select(n => n.PadRight(col))).TrimEnd());
            }
        }
        if (args.Has("recursive"))
        {
            var prefix = key == "." ? string.Empty : key.TrimEnd('.') + ".";
            foreach (var (name, entry) in entries.Where(e => KvsClient.IsDir(e.Value)))
            {
                await ListOneAsync(h, prefix + name, ns, args, onePerLine, header: true, first: false, ct).ConfigureAwait(false);
            }
        }
    }

    private static string Classify(string name, JsonNode? entry, bool classify) =>
        !classify ? name : KvsClient.IsDir(entry) ? name + "." : KvsClient.TypeOf(entry) == "symlink" ? name + "@" : name;
}
