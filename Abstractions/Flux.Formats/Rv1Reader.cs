// Reading and writing RFC 20 R JSON, and building R from [[resource.config]] as flux-core's librlist does.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

internal static class Rv1Reader
{
    // RFC 20: these characters would be ambiguous in RFC 31 constraint expressions.
    private static readonly System.Buffers.SearchValues<char> InvalidPropertyChars = System.Buffers.SearchValues.Create("!&'\"^`|()");

    public static Rv1 Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FluxException(Errno.EINVAL, $"R: invalid JSON: {e.Message}", e);
        }
        return Parse(node ?? throw Fail("", "must be an object, not null"));
    }

    public static Rv1 Parse(JsonNode r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (top, execution, rlite) = Execution(r);
        var ranks = new SortedDictionary<uint, Rv1Rank>();
        for (var i = 0; i < rlite.Count; i++)
        {
            var entry = ReadEntry(rlite[i], i);
            foreach (var rank in entry.Ranks)
            {
                Merge(ranks, new Rv1Rank(rank, null, entry.Cores, entry.Gpus, []), $"R: execution.R_lite[{i}]: rank {rank}");
            }
        }
        if (execution.TryGetPropertyValue("nodelist", out var nodelist))
        {
            AssignHosts(nodelist, ranks);
        }
        if (execution.TryGetPropertyValue("properties", out var properties))
        {
            AssignProperties(properties, ranks);
        }
        int? nslots = null;
        if (execution.TryGetPropertyValue("nslots", out var ns))
        {
            nslots = JsonUtil.TryGetInteger(ns, out var n) && n >= 0 && n <= int.MaxValue ? (int)n
                : throw Fail("execution.nslots", "must be a non-negative integer");
        }
        double starttime = Time(execution, "starttime"), expiration = Time(execution, "expiration");
        CheckTimes(starttime, expiration);
        return new Rv1(ranks.Values, starttime, expiration, nslots > 0 ? nslots : null, top["scheduling"]);
    }

    public static Rv1 FromConfig(IEnumerable<ResourceConfigEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var hostRanks = new Dictionary<string, uint>(StringComparer.Ordinal);
        var ranks = new SortedDictionary<uint, Rv1Rank>();
        var index = 0;
        foreach (var entry in entries)
        {
            var where = $"resource.config[{index}]";
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (entry.Hosts is null || !Hostlist.TryParse(entry.Hosts, out var hosts))
            {
                throw new FluxException(Errno.EINVAL, $"{where}: invalid hostlist '{entry.Hosts}'");
            }
            if (hosts.Count == 0)
            {
                throw new FluxException(Errno.EINVAL, $"{where}: empty hostlist specified");
            }
            var cores = ConfigIdSet(entry.Cores, "cores", where);
            var gpus = ConfigIdSet(entry.Gpus, "gpus", where);
            foreach (var p in entry.Properties ?? [])
            {
                if (p is null || p.AsSpan().IndexOfAny(InvalidPropertyChars) >= 0)
                {
                    throw new FluxException(Errno.EINVAL, $"{where}: invalid property \"{p}\"");
                }
            }
            var properties = (entry.Properties ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            foreach (var host in hosts)
            {
                if (!hostRanks.TryGetValue(host, out var rank))
                {
                    rank = (uint)hostRanks.Count;
                    hostRanks[host] = rank;
                }
                Merge(ranks, new Rv1Rank(rank, host, cores, gpus, properties), $"{where}: host {host}");
            }
            index++;
        }
        if (ranks.Count == 0)
        {
            throw new FluxException(Errno.EINVAL, "resource.config: no hosts configured");
        }
        var empty = ranks.Values.Where(r => r.IsEmpty).Select(r => r.Hostname!).ToList();
        if (empty.Count > 0)
        {
            throw new FluxException(Errno.EINVAL, $"resource.config: {new Hostlist(empty)} assigned no resources");
        }
        return new Rv1(ranks.Values, 0, 0, null, null);
    }

    public static JsonObject ToJson(Rv1 r, IReadOnlyList<Rv1Rank> ranks)
    {
        var rlite = new JsonArray();
        foreach (var e in r.RLite)
        {
            var children = new JsonObject { ["core"] = e.Cores.Encode(IdSetFormat.Range) };
            if (!e.Gpus.IsEmpty)
            {
                children["gpu"] = e.Gpus.Encode(IdSetFormat.Range);
            }
            rlite.Add((JsonNode)new JsonObject { ["rank"] = e.Ranks.Encode(IdSetFormat.Range), ["children"] = children });
        }
        var execution = new JsonObject { ["R_lite"] = rlite };
        if (r.NSlots is { } nslots)
        {
            execution["nslots"] = nslots;
        }
        execution["starttime"] = r.StartTime;
        execution["expiration"] = r.Expiration;
        var nodelist = r.Nodelist;
        if (ranks.Count > 0 && nodelist.Count == ranks.Count)
        {
            execution["nodelist"] = new JsonArray(nodelist.ToString());
        }
        var properties = r.Properties;
        if (properties.Count > 0)
        {
            var o = new JsonObject();
            foreach (var (name, ids) in properties)
            {
                o[name] = ids.Encode(IdSetFormat.Range);
            }
            execution["properties"] = o;
        }
        var result = new JsonObject { ["version"] = 1, ["execution"] = execution };
        if (r.Scheduling is not null)
        {
            result["scheduling"] = r.Scheduling;
        }
        return result;
    }

    /// <summary>The R_lite entries of R (RFC 20), checked as <see cref="Parse(JsonNode)"/> checks them, without the rest of R.</summary>
    public static List<RLiteEntry> ParseRLite(JsonNode r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var rlite = Execution(r).RLite;
        var entries = new List<RLiteEntry>(rlite.Count);
        for (var i = 0; i < rlite.Count; i++)
        {
            entries.Add(ReadEntry(rlite[i], i));
        }
        return entries;
    }

    // R's version, execution object and R_lite array, or why not.
    private static (JsonObject Top, JsonObject Execution, JsonArray RLite) Execution(JsonNode r)
    {
        var top = r as JsonObject ?? throw Fail("", $"must be an object, not {JsonUtil.Describe(r)}");
        if (!JsonUtil.TryGetInteger(top["version"], out var version) || version != 1)
        {
            throw Fail("version", $"must be 1, not {top["version"]?.ToJsonString() ?? "missing"}");
        }
        var execution = top["execution"] as JsonObject ?? throw Fail("execution", "required object is missing");
        var rlite = execution["R_lite"] as JsonArray ?? throw Fail("execution.R_lite", "required array is missing");
        return (top, execution, rlite);
    }

    // One R_lite entry; its path (execution.R_lite[INDEX]...) is written only into an error.
    private static RLiteEntry ReadEntry(JsonNode? node, int index)
    {
        string Path() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"execution.R_lite[{index}]");
        var entry = node as JsonObject ?? throw Fail(Path(), "must be an object");
        if (!JsonUtil.TryGetString(entry["rank"], out var rankText))
        {
            throw Fail(Path() + ".rank", "must be an idset string");
        }
        var rankSet = IdSet.TryParse(rankText, out var parsed) ? parsed : throw Fail(Path() + ".rank", $"invalid idset '{rankText}'");
        var children = entry["children"] as JsonObject ?? throw Fail(Path() + ".children", "must be an object");
        IdSet cores = IdSet.Empty, gpus = IdSet.Empty;
        foreach (var (name, value) in children)
        {
            if (!JsonUtil.TryGetString(value, out var text) || !IdSet.TryParse(text, out var ids))
            {
                throw Fail($"{Path()}.children.{name}", "must be an idset string");
            }
            switch (name)
            {
                case "core": cores = ids; break;
                case "gpu": gpus = ids; break;
                default: throw Fail($"{Path()}.children.{name}", "unsupported resource (only core and gpu)");
            }
        }
        return new RLiteEntry(rankSet, cores, gpus);
    }

    // flux-core's rnode_add(): the same rank given twice merges, but an id may not appear twice.
    private static void Merge(SortedDictionary<uint, Rv1Rank> ranks, Rv1Rank add, string where)
    {
        if (!ranks.TryGetValue(add.Rank, out var have))
        {
            ranks[add.Rank] = add;
            return;
        }
        if (have.Cores.Overlaps(add.Cores) || have.Gpus.Overlaps(add.Gpus))
        {
            throw new FluxException(Errno.EINVAL, $"{where}: cores {have.Cores.Intersect(add.Cores)} gpus {have.Gpus.Intersect(add.Gpus)} given twice");
        }
        ranks[add.Rank] = have with
        {
            Cores = have.Cores.Union(add.Cores),
            Gpus = have.Gpus.Union(add.Gpus),
            Properties = [.. have.Properties.Union(add.Properties, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    private static void AssignHosts(JsonNode? node, SortedDictionary<uint, Rv1Rank> ranks)
    {
        var array = node as JsonArray ?? throw Fail("execution.nodelist", "must be an array of hostlist strings");
        var hosts = Hostlist.Empty;
        for (var i = 0; i < array.Count; i++)
        {
            if (!JsonUtil.TryGetString(array[i], out var text))
            {
                throw Fail($"execution.nodelist[{i}]", "must be a hostlist string");
            }
            try
            {
                hosts = hosts.Append(Hostlist.Parse(text));
            }
            catch (FluxException e)
            {
                throw new FluxException(e.Errnum, $"R: execution.nodelist[{i}]: {e.Message}", e);
            }
        }
        if (hosts.Count != ranks.Count)
        {
            throw Fail("execution.nodelist", $"has {hosts.Count} hosts but R_lite has {ranks.Count} ranks");
        }
        var h = 0;
        foreach (var rank in ranks.Keys.ToList())
        {
            ranks[rank] = ranks[rank] with { Hostname = hosts[h++] };
        }
    }

    private static void AssignProperties(JsonNode? node, SortedDictionary<uint, Rv1Rank> ranks)
    {
        var o = node as JsonObject ?? throw Fail("execution.properties", "must be an object");
        foreach (var (name, value) in o)
        {
            var path = $"execution.properties.{name}";
            if (name.AsSpan().IndexOfAny(InvalidPropertyChars) is var bad and >= 0)
            {
                throw Fail(path, $"invalid character '{name[bad]}' in property name");
            }
            if (!JsonUtil.TryGetString(value, out var text) || !IdSet.TryParse(text, out var ids))
            {
                throw Fail(path, "must be an idset string");
            }
            var unknown = ids.Subtract(new IdSet(ranks.Keys));
            if (!unknown.IsEmpty)
            {
                throw Fail(path, $"rank{(unknown.Count == 1 ? "" : "s")} {unknown.Encode(IdSetFormat.Range)} not found in R_lite");
            }
            foreach (var rank in ids)
            {
                var r = ranks[rank];
                ranks[rank] = r with { Properties = [.. r.Properties.Append(name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
            }
        }
    }

    private static double Time(JsonObject execution, string key)
    {
        if (!execution.TryGetPropertyValue(key, out var node))
        {
            return 0;
        }
        return JsonUtil.TryGetNumber(node, out var t) && t >= 0 ? t : throw Fail("execution." + key, "must be a non-negative number");
    }

    public static void CheckTimes(double starttime, double expiration)
    {
        if (!double.IsFinite(starttime) || starttime < 0 || !double.IsFinite(expiration) || expiration < 0)
        {
            throw Fail("execution", "starttime and expiration must be non-negative numbers");
        }
        if (starttime > 0 && expiration > 0 && expiration <= starttime)
        {
            throw Fail("execution.expiration", "must be greater than starttime");
        }
    }

    private static IdSet ConfigIdSet(string? text, string key, string where)
    {
        if (text is null)
        {
            return IdSet.Empty;
        }
        return IdSet.TryParse(text, out var ids) ? ids : throw new FluxException(Errno.EINVAL, $"{where}: invalid idset {key}='{text}'");
    }

    private static FluxException Fail(string path, string rule) =>
        new(Errno.EINVAL, path.Length == 0 ? $"R: {rule}" : $"R: {path}: {rule}");
}
