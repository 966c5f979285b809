// flux R decode: read R objects on stdin, merge them, and print the result or facts about it
using System.Globalization;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class RDecodeCommand : Command
{
    public override string Name => "R decode";

    public override string Summary => "Read R objects on stdin, merge them, and print the result or facts about it.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("short", 's', null, "Print the short form, e.g. rank[0-3]/core[0-7]."),
        new("nodelist", 'n', null, "Print the host names as a hostlist."),
        new("ranks", 'r', null, "Print the ranks as an idset."),
        new("count", 'c', "TYPE", "Print how many of TYPE there are: node (or ranks), core, gpu."),
        new("include", 'i', "TARGETS", "Keep only these ranks (an idset) or hosts (a hostlist)."),
        new("exclude", 'x', "TARGETS", "Drop these ranks (an idset) or hosts (a hostlist)."),
        new("properties", 'p', "LIST", "Keep only ranks with every property in the comma-separated LIST (^NAME: without it)."),
    ];

    public override string Details => """
        Every R object on stdin (one after another, any whitespace between) is merged into one. The
        filters apply in the order --properties, --include, --exclude. Each requested fact is printed
        on its own line in the order short, nodelist, ranks, count; with none, the R is printed as JSON.

        Example:
          flux R encode --ranks=0-3 --cores=0-7 | flux R decode --short
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var countType = args.Get("count");
        if (countType is not (null or "node" or "ranks" or "core" or "gpu"))
        {
            throw new UsageException($"--count: unknown resource type '{countType}' (node, core, gpu)");
        }
        var r = await RSets.ReadUnionAsync(ct).ConfigureAwait(false);
        if (args.Get("properties") is { } props)
        {
            r = FilterProperties(r, props);
        }
        if (args.Get("include") is { } include)
        {
            r = r.CopyRanks(Targets(r, include, "include"));
        }
        if (args.Get("exclude") is { } exclude)
        {
            r = r.CopyRanks(r.Ranks.Subtract(Targets(r, exclude, "exclude")));
        }
        var lines = new List<string>();
        if (args.Has("short"))
        {
            lines.Add(r.ToShortString());
        }
        if (args.Has("nodelist"))
        {
            lines.Add(r.Nodelist.ToString());
        }
        if (args.Has("ranks"))
        {
            lines.Add(r.Ranks.Encode(IdSetFormat.Range));
        }
        if (countType is not null)
        {
            var n = countType switch
            {
                "core" => r.CoreCount,
                "gpu" => r.GpuCount,
                _ => r.NodeCount,
            };
            lines.Add(n.ToString(CultureInfo.InvariantCulture));
        }
        if (lines.Count == 0)
        {
            lines.Add(r.ToString());
        }
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    private static IdSet Targets(Rv1 r, string text, string option)
    {
        if (IdSet.TryParse(text, out var ids))
        {
            return ids;
        }
        if (Hostlist.TryParse(text, out var hosts))
        {
            return r.RanksOf(hosts);
        }
        throw Invalid($"--{option}: '{text}' is neither an idset of ranks nor a hostlist");
    }

    // An RFC 31 "properties" constraint: every name required, ^NAME forbidden.
    private static Rv1 FilterProperties(Rv1 r, string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Any(n => n == "^"))
        {
            throw Invalid($"Invalid property constraint: '{list}'");
        }
        var keep = r.Nodes.Where(node => names.All(n => n.StartsWith('^')
            ? !node.Properties.Contains(n[1..], StringComparer.Ordinal)
            : node.Properties.Contains(n, StringComparer.Ordinal)));
        return r.CopyRanks(new IdSet(keep.Select(n => n.Rank)));
    }
}
