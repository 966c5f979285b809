// The instance resource set from the [resource] table (flux-config-resource(5)): R (RFC 20), excluded ranks, reserved cores.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Resource;

/// <summary>
/// What the resource service manages: the full inventory R, the ranks withheld from scheduling by
/// <c>exclude</c>, and the cores withheld by <c>reserve</c>. Built from <c>[[resource.config]]</c>
/// entries, else from the R file named by <c>path</c>, else from this machine (rank 0 named
/// <see cref="Environment.MachineName"/> with every processor as a core). Every error is a
/// <see cref="ConfigException"/> naming the file and key.
/// </summary>
internal sealed class ResourceInventory
{
    private static readonly string[] Keys = ["path", "config", "scheduling", "exclude", "reserve", "norestrict", "noverify", "rediscover"];
    private static readonly string[] EntryKeys = ["hosts", "cores", "gpus", "properties"];

    private ResourceInventory(Rv1 r, IdSet exclude, Rv1 reserved, string method)
    {
        R = r;
        Exclude = exclude;
        Method = method;
        Schedulable = r.CopyRanks(r.Ranks.Subtract(exclude)).Subtract(reserved);
    }

    /// <summary>The whole inventory, excluded ranks included.</summary>
    public Rv1 R { get; }

    /// <summary>Ranks withheld from scheduling by configuration.</summary>
    public IdSet Exclude { get; }

    /// <summary>What the scheduler is given (RFC 28): R without excluded ranks and reserved cores.</summary>
    public Rv1 Schedulable { get; }

    /// <summary>How R was found, as flux-core's resource-define event names it.</summary>
    public string Method { get; }

    /// <summary>Reads the <c>[resource]</c> table of a configuration.</summary>
    public static ResourceInventory FromConfig(FluxConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var table = config.GetTable("resource");
        if (table is null)
        {
            return new ResourceInventory(LocalMachine(), IdSet.Empty, Rv1.Empty, "dynamic-discovery");
        }
        config.CheckKeys("resource", Keys);
        foreach (var flag in (string[])["norestrict", "noverify", "rediscover"])
        {
            // Accepted as flux-core documents them; hwloc topology is not consulted here.
            config.GetBool("resource." + flag);
        }
        Rv1 r;
        string method;
        if (config.GetArray("resource.config") is { } entries)
        {
            r = FromEntries(config, entries);
            method = "configuration";
        }
        else if (config.GetString("resource.path") is { } path)
        {
            r = ReadR(config, "resource.path", path);
            method = "configuration";
        }
        else
        {
            r = LocalMachine();
            method = "dynamic-discovery";
        }
        if (config.GetString("resource.scheduling") is { } scheduling)
        {
            r = AddScheduling(config, r, scheduling);
        }
        var exclude = ParseExclude(config, r);
        var reserved = ParseReserve(config, r);
        return new ResourceInventory(r, exclude, reserved, method);
    }

    /// <summary>The resources of this machine: rank 0 with every processor as a core and no GPU.</summary>
    public static Rv1 LocalMachine() =>
        Rv1.Encode(IdSet.FromRange(0, 0), IdSet.FromRange(0, (uint)Environment.ProcessorCount - 1), null, new Hostlist([Environment.MachineName]));

    /// <summary>Ranks named by targets: an RFC 22 idset, an RFC 29 hostlist of node names, or "all".</summary>
    public IdSet Targets(string targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets == "all")
        {
            return R.Ranks;
        }
        if (IdSet.TryParse(targets, out var ids))
        {
            return ids;
        }
        if (!Hostlist.TryParse(targets, out var hosts))
        {
            throw new FluxException(Errno.EINVAL, $"invalid targets: '{targets}' is neither an idset nor a hostlist");
        }
        try
        {
            return R.RanksOf(hosts);
        }
        catch (FluxException ex)
        {
            throw new FluxException(Errno.EINVAL, "invalid targets: " + ex.Message, ex);
        }
    }

    /// <summary>The node names of some ranks as a hostlist string (empty when R names no hosts).</summary>
    public string NodelistOf(IdSet ranks) => R.CopyRanks(ranks).Nodelist.ToString();

    private static Rv1 FromEntries(FluxConfig config, JsonArray entries)
    {
        var list = new List<ResourceConfigEntry>();
        for (var i = 0; i < entries.Count; i++)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"resource.config[{i}]");
            if (entries[i] is not JsonObject entry)
            {
                throw config.Error(where, "expected a table with hosts, cores, gpus and properties", entries[i]);
            }
            config.CheckKeys(entry, where, EntryKeys);
            var hosts = EntryString(config, entry, where, "hosts") ?? throw config.Error(where + ".hosts", "required key is missing (a hostlist like \"node[1-16]\")", null);
            var properties = entry["properties"] switch
            {
                null => null,
                JsonArray a when a.All(p => p is JsonValue v && v.GetValueKind() == JsonValueKind.String) => a.Select(p => p!.GetValue<string>()).ToList(),
                var other => throw config.Error(where + ".properties", "expected an array of strings", other),
            };
            list.Add(new ResourceConfigEntry(hosts, EntryString(config, entry, where, "cores"), EntryString(config, entry, where, "gpus"), properties));
        }
        try
        {
            return Rv1.FromConfig(list);
        }
        catch (FluxException ex) when (ex is not ConfigException)
        {
            throw new ConfigException(Prefix(config, "resource.config") + ex.Message, ex);
        }
    }

    private static string? EntryString(FluxConfig config, JsonObject entry, string where, string key) => entry[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw config.Error($"{where}.{key}", "expected a string", other),
    };

    private static Rv1 ReadR(FluxConfig config, string key, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail(config, key, $"{path}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory" : ex.Message)}");
        }
        try
        {
            return Rv1.Parse(text);
        }
        catch (FluxException ex)
        {
            throw Fail(config, key, $"{path}: {ex.Message}");
        }
    }

    private static Rv1 AddScheduling(FluxConfig config, Rv1 r, string path)
    {
        JsonNode? scheduling;
        try
        {
            scheduling = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw Fail(config, "resource.scheduling", $"{path}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory" : ex.Message)}");
        }
        var json = r.ToJson();
        json["scheduling"] = scheduling;
        return Rv1.Parse(json);
    }

    private static IdSet ParseExclude(FluxConfig config, Rv1 r)
    {
        if (config.GetString("resource.exclude") is not { } text)
        {
            return IdSet.Empty;
        }
        IdSet ranks;
        if (IdSet.TryParse(text, out var ids))
        {
            ranks = ids;
        }
        else if (Hostlist.TryParse(text, out var hosts))
        {
            try
            {
                ranks = r.RanksOf(hosts);
            }
            catch (FluxException ex)
            {
                throw Fail(config, "resource.exclude", ex.Message);
            }
        }
        else
        {
            throw config.Error("resource.exclude", "expected an idset like \"0-7\" or a hostlist like \"node[1-16]\"", JsonValue.Create(text));
        }
        var unknown = ranks.Subtract(r.Ranks);
        if (!unknown.IsEmpty)
        {
            throw Fail(config, "resource.exclude", NotInResourceSet(unknown));
        }
        return ranks;
    }

    // flux-config-resource(5): "cores[@ranks] [cores[@ranks]]...", cores on every rank when no @ranks.
    private static Rv1 ParseReserve(FluxConfig config, Rv1 r)
    {
        if (config.GetString("resource.reserve") is not { } text)
        {
            return Rv1.Empty;
        }
        var reserved = Rv1.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = word.IndexOf('@', StringComparison.Ordinal);
            var coreText = at < 0 ? word : word[..at];
            if (!IdSet.TryParse(coreText, out var cores) || cores.IsEmpty)
            {
                throw Fail(config, "resource.reserve", $"'{word}': cores must be a non-empty idset");
            }
            var ranks = r.Ranks;
            if (at >= 0 && (!IdSet.TryParse(word[(at + 1)..], out ranks) || ranks.IsEmpty))
            {
                throw Fail(config, "resource.reserve", $"'{word}': ranks after @ must be a non-empty idset");
            }
            var these = r.Intersect(Rv1.Encode(ranks, cores, null, null));
            reserved = reserved.NodeCount == 0 ? these : reserved.Union(these);
        }
        return reserved;
    }

    /// <summary>"rank 5 is not in the resource set" / "ranks 5-6 are not in the resource set".</summary>
    public static string NotInResourceSet(IdSet ranks) => ranks.Count == 1
        ? $"rank {ranks.Encode(IdSetFormat.Range)} is not in the resource set"
        : $"ranks {ranks.Encode(IdSetFormat.Range)} are not in the resource set";

    private static string Prefix(FluxConfig config, string key) => config.SourceOf(key) is { } file ? file + ": " : string.Empty;

    private static ConfigException Fail(FluxConfig config, string key, string text)
    {
        var dot = key.LastIndexOf('.');
        return new ConfigException($"{Prefix(config, key)}[{key[..dot]}] {key[(dot + 1)..]}: {text}");
    }
}
