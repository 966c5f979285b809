// Reading a stream of R objects (RFC 20) and rebuilding R from per-rank resources, shared by the flux R commands.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

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

    /// <summary>Every R object on stdin merged into one (at least one is required).</summary>
    public static async Task<Rv1> ReadUnionAsync(CancellationToken ct) =>
        Transform(await ReadStdinAsync(ct).ConfigureAwait(false), "union", 1, (a, b) => a.Union(b));

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
            rlite.Add((JsonNode)new JsonObject { ["rank"] = n.Rank.ToString(CultureInfo.InvariantCulture), ["children"] = children });
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
