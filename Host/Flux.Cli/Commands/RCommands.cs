// flux R encode|decode|parse-config|verify|append|diff|intersect|set-property|remap|rerank: RFC 20 R tools.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class REncodeCommand : Command
{
    public override string Name => "R encode";

    public override string Summary => "Print an R object (RFC 20) built from ranks, cores, GPUs and hosts.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("ranks", 'r', "IDSET", "Ranks of the R (default: one per --hosts host, or just 0)."),
        new("cores", 'c', "IDS", "Core ids given to each rank (default 0 when neither --cores nor --gpus is given)."),
        new("gpus", 'g', "IDS", "GPU ids given to each rank (default: none)."),
        new("hosts", 'H', "HOSTS", "Host names of the ranks, in rank order (default: this host's name for every rank)."),
        new("property", 'p', "NAME[:RANKS]", "Give property NAME to RANKS (default: all ranks); may be repeated.", Repeatable: true),
        new("local", 'l', null, "Take cores and GPUs from this machine's hwloc topology (not supported yet)."),
        new("xml", 'f', "FILE", "Take cores and GPUs from an hwloc XML file (not supported yet)."),
    ];

    public override string Details => """
        The R is printed as one line of JSON, as flux-core writes it.

        Examples:
          flux R encode --ranks=0-3 --cores=0-7
          flux R encode --hosts='node[0-1]' --cores=0-3 --gpus=0 --property=big:1
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var gpusText = args.Get("gpus") ?? "";
        var coresText = args.Get("cores") ?? "";
        if (args.Has("local") || args.Has("xml"))
        {
            throw new FluxException(Errno.ENOSYS, "--local and --xml need hwloc topology discovery (not supported yet); give --cores/--gpus");
        }
        if (gpusText.Length == 0 && coresText.Length == 0)
        {
            coresText = "0";
        }
        var cores = OptionIdSet("cores", coresText);
        var gpus = OptionIdSet("gpus", gpusText);
        IdSet ranks;
        Hostlist hosts;
        if (args.Get("ranks") is { } ranksText)
        {
            ranks = OptionIdSet("ranks", ranksText);
            hosts = HostsOption(args.Get("hosts"), (int)ranks.Count);
        }
        else
        {
            hosts = HostsOption(args.Get("hosts"), args.Has("hosts") ? 0 : 1);
            ranks = hosts.Count == 0 ? IdSet.Empty : IdSet.FromRange(0, (uint)hosts.Count - 1);
        }
        var r = Rv1.Encode(ranks, cores, gpus, hosts);
        if (args.GetAll("property") is { Count: > 0 } props)
        {
            r = RSets.AssignProperties(r, props);
        }
        Console.WriteLine(r.ToString());
        return Task.FromResult(0);
    }

    private static IdSet OptionIdSet(string name, string text) =>
        IdSet.TryParse(text, out var set) ? set : throw Invalid($"Failed to decode {name}='{text}' as idset");

    // As flux-core: without --hosts every rank gets this machine's name; with it the count must match.
    private static Hostlist HostsOption(string? text, int expected)
    {
        if (text is null)
        {
            return new Hostlist(Enumerable.Repeat(System.Net.Dns.GetHostName(), expected));
        }
        if (!Hostlist.TryParse(text, out var hl))
        {
            throw Invalid($"invalid hostlist '{text}'");
        }
        if (expected != 0 && hl.Count != expected)
        {
            throw Invalid($"hostname count in '{text}' does not match nranks ({expected})");
        }
        return hl;
    }
}

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
        var r = RSets.Transform(await RSets.ReadStdinAsync(ct).ConfigureAwait(false), "union", 1, (a, b) => a.Union(b));
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

internal sealed class RParseConfigCommand : Command
{
    public override string Name => "R parse-config";

    public override string Summary => "Print the R described by a config directory's [[resource.config]] (or resource.path).";

    public override string Usage => "PATH";

    public override string Details => """
        PATH is a config directory (every *.toml merged) or a single .toml or .json file, read as
        'flux start --config-path' reads it. Ranks are given to hosts in order of first appearance.

        Example:
          flux R parse-config /etc/flux/system/conf.d
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var config = Flux.Client.Config.ConfigLoader.Load(args.Positionals[0]);
        var entries = config.GetArray("resource.config");
        Rv1 r;
        if (entries is null)
        {
            var path = config.GetString("resource.path")
                ?? throw Invalid("Config file error: resource.config or resource.path must be defined");
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FluxException(Errno.ENOENT, $"{path}: {ex.Message}", ex);
            }
            r = Wrap(() => Rv1.Parse(text), path + ": ");
        }
        else
        {
            var file = config.SourceOf("resource.config") is { } f ? f + ": " : "";
            r = Wrap(() => Rv1.FromConfig(Entries(entries)), "Config file error: " + file);
        }
        Console.WriteLine(r.ToString());
        return 0;
    }

    private static Rv1 Wrap(Func<Rv1> build, string prefix)
    {
        try
        {
            return build();
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, prefix + ex.Message, ex);
        }
    }

    // Each entry is {hosts, cores?, gpus?, properties?} and nothing else, as rlist_from_config() unpacks it.
    private static List<ResourceConfigEntry> Entries(JsonArray array)
    {
        var list = new List<ResourceConfigEntry>();
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"resource.config[{i}]";
            var o = array[i] as JsonObject ?? throw Invalid($"{where}: expected a table, got {array[i]?.ToJsonString() ?? "null"}");
            if (o.Select(p => p.Key).FirstOrDefault(k => k is not ("hosts" or "cores" or "gpus" or "properties")) is { } unknown)
            {
                throw Invalid($"{where}: unknown key '{unknown}'");
            }
            var hosts = String(o, "hosts", where) ?? throw Invalid($"{where}: hosts is required");
            List<string>? properties = null;
            if (o["properties"] is { } p)
            {
                properties = p is JsonArray pa && pa.All(x => x?.GetValueKind() == JsonValueKind.String)
                    ? [.. pa.Select(x => x!.GetValue<string>())]
                    : throw Invalid($"{where}: properties: expected an array of strings, got {p.ToJsonString()}");
            }
            list.Add(new ResourceConfigEntry(hosts, String(o, "cores", where), String(o, "gpus", where), properties));
        }
        return list;
    }

    private static string? String(JsonObject o, string key, string where) => o[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Invalid($"{where}: {key}: expected a string, got {other.ToJsonString()}"),
    };
}

internal sealed class RVerifyCommand : Command
{
    public override string Name => "R verify";

    public override string Summary => "Check that a one-rank R (second on stdin) has the resources the first R gives that rank.";

    public override string Details => """
        Reads exactly two R objects on stdin: the expected resources, then the actual resources of
        one rank. Missing resources (or a different host name) print an error and exit 1; extra
        resources print a note and exit 0.

        Example:
          (flux R encode -r 0-1 -c 0-3 -H 'n[0-1]'; flux R encode -r 0 -c 0-1 -H n0) | flux R verify
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        if (sets.Count != 2)
        {
            throw Invalid("verify requires exactly 2 R objects on stdin");
        }
        var (expected, actual) = (sets[0], sets[1]);
        if (actual.NodeCount != 1)
        {
            throw Invalid("Verification supported on single rank only");
        }
        var node = actual.Nodes[0];
        var host = node.Hostname ?? "unknown";
        if (expected.Find(node.Rank) is not { } exp)
        {
            throw Invalid($"rank {node.Rank} not found in expected ranks");
        }
        if (exp.Hostname is not null && node.Hostname is not null && exp.Hostname != node.Hostname)
        {
            throw Invalid($"rank {node.Rank} got hostname '{node.Hostname}', expected '{exp.Hostname}'");
        }
        var expectedRank = expected.CopyRanks(actual.Ranks);
        var missing = expectedRank.Subtract(actual);
        if (missing.NodeCount > 0)
        {
            throw Invalid($"rank {node.Rank} ({host}) missing resources: {Children(missing)}");
        }
        var extra = actual.Subtract(expectedRank);
        if (extra.NodeCount > 0)
        {
            await Console.Error.WriteLineAsync($"{Prog}: rank {node.Rank} ({host}) has extra resources: {Children(extra)}").ConfigureAwait(false);
        }
        return 0;
    }

    // "rank0/core[2-3],gpu0" without the rank: what flux-core's rnode_child_dumps() prints.
    private static string Children(Rv1 oneRank)
    {
        var s = oneRank.ToShortString();
        return s[(s.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }
}

internal sealed class RAppendCommand : Command
{
    public override string Name => "R append";

    public override string Summary => "Print the union of the R objects on stdin; they must not overlap.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        var result = Rv1.Empty;
        foreach (var r in sets)
        {
            if (result.Intersect(r).NodeCount > 0)
            {
                throw Invalid($"R objects '{result.ToShortString()}' and '{r.ToShortString()}' overlap");
            }
            result = result.NodeCount == 0 ? r : result.Union(r);
        }
        Console.WriteLine(result.ToString());
        return 0;
    }
}

internal sealed class RDiffCommand : Command
{
    public override string Name => "R diff";

    public override string Summary => "Print the first R on stdin minus the others: (R1 - R2) - R3 ...";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.Transform(sets, "diff", 2, (a, b) => a.Subtract(b)).ToString());
        return 0;
    }
}

internal sealed class RIntersectCommand : Command
{
    public override string Name => "R intersect";

    public override string Summary => "Print the resources common to every R on stdin.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var sets = await RSets.ReadStdinAsync(ct).ConfigureAwait(false);
        Console.WriteLine(RSets.Transform(sets, "intersect", 2, (a, b) => a.Intersect(b)).ToString());
        return 0;
    }
}

internal sealed class RSetPropertyCommand : Command
{
    public override string Name => "R set-property";

    public override string Summary => "Add properties to the R on stdin and print it.";

    public override string Usage => "NAME[:RANKS] [NAME[:RANKS]...]";

    public override string Details => "Without :RANKS the property goes to every rank.\n\nExample:\n  flux R encode -r 0-3 | flux R set-property gpu:2-3 login:0";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var r = RSets.Transform(await RSets.ReadStdinAsync(ct).ConfigureAwait(false), "union", 1, (a, b) => a.Union(b));
        Console.WriteLine(RSets.AssignProperties(r, args.Positionals).ToString());
        return 0;
    }
}

internal sealed class RRemapCommand : Command
{
    public override string Name => "R remap";

    public override string Summary => "Print the union of the R objects on stdin with ranks renumbered from 0.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var r = RSets.Transform(await RSets.ReadStdinAsync(ct).ConfigureAwait(false), "union", 1, (a, b) => a.Union(b));
        Console.WriteLine(RSets.FromRanks(r.Nodes.Select((n, i) => n with { Rank = (uint)i }), r).ToString());
        return 0;
    }
}

internal sealed class RRerankCommand : Command
{
    public override string Name => "R rerank";

    public override string Summary => "Print the union of the R objects on stdin with each host's rank set to its index in HOSTLIST.";

    public override string Usage => "HOSTLIST";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var r = RSets.Transform(await RSets.ReadStdinAsync(ct).ConfigureAwait(false), "union", 1, (a, b) => a.Union(b));
        if (!Hostlist.TryParse(args.Positionals[0], out var hl))
        {
            throw Invalid($"invalid hostlist '{args.Positionals[0]}'");
        }
        if (hl.Count != r.NodeCount)
        {
            throw Invalid($"Too {(hl.Count > r.NodeCount ? "many" : "few")} hosts specified (expected {r.NodeCount})");
        }
        var indices = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var i = 0; i < hl.Count; i++)
        {
            (indices.TryGetValue(hl[i], out var q) ? q : indices[hl[i]] = new Queue<int>()).Enqueue(i);
        }
        var ranks = new List<Rv1Rank>();
        foreach (var n in r.Nodes)
        {
            if (n.Hostname is null || !indices.TryGetValue(n.Hostname, out var q) || !q.TryDequeue(out var index))
            {
                throw Invalid("failed to find one or more provided hosts in R");
            }
            ranks.Add(n with { Rank = (uint)index });
        }
        Console.WriteLine(RSets.FromRanks(ranks, r).ToString());
        return 0;
    }
}

// Reading a stream of R objects and rebuilding R from per-rank resources, shared by the R commands.
internal static class RSets
{
    // Characters flux-core's rlist_assign_properties() refuses in a property name (RFC 20).
    private static readonly System.Buffers.SearchValues<char> BadPropertyChars = System.Buffers.SearchValues.Create("^&'\"`|()!");

    /// <summary>Reads every R object on stdin (concatenated JSON values, as jansson's json_loadf reads them).</summary>
    public static async Task<List<Rv1>> ReadStdinAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var stdin = Console.OpenStandardInput();
        await using (stdin.ConfigureAwait(false))
        {
            await stdin.CopyToAsync(buffer, ct).ConfigureAwait(false);
        }
        return Parse(buffer.ToArray());
    }

    private static List<Rv1> Parse(byte[] bytes)
    {
        var sets = new List<Rv1>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                var node = JsonNode.Parse(ref reader) ?? throw new FluxException(Errno.EINVAL, "Failed to decode R on stdin: null");
                try
                {
                    sets.Add(Rv1.Parse(node));
                }
                catch (FluxException ex)
                {
                    throw new FluxException(ex.Errnum, $"Failed to decode R on stdin: {ex.Message}", ex);
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EINVAL, $"Failed to read an R object: {ex.Message}", ex);
        }
        return sets.Count > 0 ? sets : throw new FluxException(Errno.EINVAL, "Failed to read an R object: no input on stdin");
    }

    /// <summary>Folds the sets left to right with <paramref name="op"/>, as flux-core's rl_transform().</summary>
    public static Rv1 Transform(List<Rv1> sets, string name, int minSets, Func<Rv1, Rv1, Rv1> op)
    {
        if (sets.Count < minSets)
        {
            throw new FluxException(Errno.EINVAL, $"{name} requires at least {minSets} resource sets");
        }
        return sets.Skip(1).Aggregate(sets[0], op);
    }

    /// <summary>
    /// Adds properties given as <c>NAME[:RANKS]</c> (all ranks when RANKS is absent) to the ranks
    /// already holding them, with flux-core's rlist_assign_properties() errors.
    /// </summary>
    public static Rv1 AssignProperties(Rv1 r, IEnumerable<string> specs)
    {
        var all = r.Ranks.Encode(IdSetFormat.Range);
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            wanted[colon < 0 ? spec : spec[..colon]] = colon < 0 ? all : spec[(colon + 1)..];
        }
        var add = new Dictionary<uint, List<string>>();
        foreach (var (name, text) in wanted)
        {
            if (name.AsSpan().IndexOfAny(BadPropertyChars) is var bad and >= 0)
            {
                throw Fail($"invalid character '{name[bad]}' in property \"{name}\"");
            }
            if (name.Length == 0)
            {
                throw Fail("empty property name");
            }
            if (!IdSet.TryParse(text, out var ids))
            {
                throw Fail($"invalid idset '{text}' specified for property \"{name}\"");
            }
            var unknown = ids.Subtract(r.Ranks);
            if (!unknown.IsEmpty)
            {
                throw Fail($"{(unknown.Count == 1 ? "rank" : "ranks")} {unknown.Encode(IdSetFormat.Range)} not found in target resource list");
            }
            foreach (var id in ids)
            {
                (add.TryGetValue(id, out var l) ? l : add[id] = []).Add(name);
            }
        }
        var ranks = r.Nodes.Select(n => add.TryGetValue(n.Rank, out var names)
            ? n with { Properties = [.. n.Properties.Union(names, StringComparer.Ordinal).Order(StringComparer.Ordinal)] }
            : n);
        try
        {
            return FromRanks(ranks, r);
        }
        catch (FluxException ex)
        {
            throw Fail(ex.Message);
        }

        static FluxException Fail(string text) => new(Errno.EINVAL, "failed to assign properties: " + text);
    }

    /// <summary>Builds R from per-rank resources, keeping the times and scheduling key of <paramref name="template"/>.</summary>
    public static Rv1 FromRanks(IEnumerable<Rv1Rank> ranks, Rv1 template)
    {
        var list = ranks.OrderBy(n => n.Rank).ToList();
        var rlite = new JsonArray();
        var properties = new SortedDictionary<string, List<uint>>(StringComparer.Ordinal);
        foreach (var n in list)
        {
            var children = new JsonObject { ["core"] = n.Cores.Encode(IdSetFormat.Range) };
            if (!n.Gpus.IsEmpty)
            {
                children["gpu"] = n.Gpus.Encode(IdSetFormat.Range);
            }
            rlite.Add(new JsonObject { ["rank"] = n.Rank.ToString(CultureInfo.InvariantCulture), ["children"] = children });
            foreach (var p in n.Properties)
            {
                (properties.TryGetValue(p, out var l) ? l : properties[p] = []).Add(n.Rank);
            }
        }
        var execution = new JsonObject
        {
            ["R_lite"] = rlite,
            ["starttime"] = template.StartTime,
            ["expiration"] = template.Expiration,
        };
        if (list.Count > 0 && list.All(n => n.Hostname is not null))
        {
            execution["nodelist"] = new JsonArray([.. list.Select(n => (JsonNode)n.Hostname!)]);
        }
        if (properties.Count > 0)
        {
            var o = new JsonObject();
            foreach (var (name, ids) in properties)
            {
                o[name] = new IdSet(ids).Encode(IdSetFormat.Range);
            }
            execution["properties"] = o;
        }
        var json = new JsonObject { ["version"] = 1, ["execution"] = execution };
        if (template.Scheduling is { } scheduling)
        {
            json["scheduling"] = scheduling;
        }
        return Rv1.Parse(json);
    }
}
