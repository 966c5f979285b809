// An immutable RFC 20 resource set (R version 1): ranks with cores, GPUs, host names and properties.
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// An immutable RFC 20 resource set, version 1, as flux-core's librlist models it: broker ranks, each
/// with logical core and GPU ids, an optional host name and property names, plus start and expiration
/// times (0 means unset) and an opaque <c>scheduling</c> key. Set operations return new instances and
/// keep this set's times and scheduling key. Thread safe.
/// </summary>
public sealed partial class Rv1
{
    private readonly Rv1Rank[] _ranks;
    private readonly JsonNode? _scheduling;
    private IdSet? _rankSet;
    private Hostlist? _nodelist;

    internal Rv1(IEnumerable<Rv1Rank> ranks, double starttime, double expiration, int? nslots, JsonNode? scheduling)
    {
        _ranks = [.. ranks.OrderBy(r => r.Rank)];
        StartTime = starttime;
        Expiration = expiration;
        NSlots = nslots;
        _scheduling = scheduling?.DeepClone();
    }

    /// <summary>The empty resource set.</summary>
    public static Rv1 Empty { get; } = new([], 0, 0, null, null);

    /// <summary>Every rank's resources, in ascending rank order.</summary>
    public IReadOnlyList<Rv1Rank> Nodes => Array.AsReadOnly(_ranks);

    /// <summary>The set of ranks.</summary>
    public IdSet Ranks => _rankSet ??= new IdSetBuilder().AddRange(_ranks.Select(r => r.Rank)).Build();

    /// <summary>Number of ranks (nodes).</summary>
    public int NodeCount => _ranks.Length;

    /// <summary>Total number of cores over all ranks.</summary>
    public int CoreCount => (int)_ranks.Sum(r => r.Cores.Count);

    /// <summary>Total number of GPUs over all ranks.</summary>
    public int GpuCount => (int)_ranks.Sum(r => r.Gpus.Count);

    /// <summary>Start of validity in seconds since the Unix epoch; 0 when unset.</summary>
    public double StartTime { get; }

    /// <summary>End of validity in seconds since the Unix epoch; 0 when unset.</summary>
    public double Expiration { get; }

    /// <summary>The <c>nslots</c> hint written by a scheduler, or null.</summary>
    public int? NSlots { get; }

    /// <summary>The opaque <c>scheduling</c> key, or null; each call returns a new copy.</summary>
    public JsonNode? Scheduling => _scheduling?.DeepClone();

    /// <summary>Host names in rank order, or the empty list when R names no hosts (RFC 20 <c>nodelist</c>).</summary>
    public Hostlist Nodelist => _nodelist ??= _ranks.Length == 0 || _ranks.Any(r => r.Hostname is null)
        ? Hostlist.Empty
        : new Hostlist(_ranks.Select(r => r.Hostname!));

    /// <summary>Property name → ranks having it, in ordinal name order.</summary>
    public IReadOnlyDictionary<string, IdSet> Properties
    {
        get
        {
            var builders = new SortedDictionary<string, IdSetBuilder>(StringComparer.Ordinal);
            foreach (var r in _ranks)
            {
                foreach (var p in r.Properties)
                {
                    (builders.TryGetValue(p, out var b) ? b : builders[p] = new IdSetBuilder()).Add(r.Rank);
                }
            }
            return builders.ToDictionary(kv => kv.Key, kv => kv.Value.Build(), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The compressed <c>R_lite</c>: ranks with identical cores and GPUs grouped, ordered by first rank
    /// (flux-core's rlist_compressed; ranks without resources are listed with an empty core set).
    /// </summary>
    public IReadOnlyList<RLiteEntry> RLite => Groups(includeEmpty: true)
        .Select(g => new RLiteEntry(g.Ranks.Build(), g.First.Cores, g.First.Gpus)).ToList();

    /// <summary>
    /// Parses an R object. Throws <see cref="FluxException"/> (EINVAL) naming the offending key: version
    /// not 1, missing execution or R_lite, a bad rank or child idset, a child other than core or gpu, a
    /// rank given twice with overlapping ids, a nodelist whose host count differs from the rank count,
    /// a bad property name or idset, or a property naming an unknown rank.
    /// </summary>
    public static Rv1 Parse(JsonNode r) => Rv1Reader.Parse(r);

    /// <summary>Parses R from JSON text (see <see cref="Parse(JsonNode)"/>); invalid JSON is EINVAL.</summary>
    public static Rv1 Parse(string json) => Rv1Reader.Parse(json);

    /// <summary>
    /// Reads only the <c>R_lite</c> entries of R (each rank's cores and GPUs), checked as
    /// <see cref="Parse(JsonNode)"/> checks them (EINVAL naming the bad element): for a caller that needs
    /// no host names, properties or times, at a fraction of the cost.
    /// </summary>
    public static IReadOnlyList<RLiteEntry> ParseRLite(JsonNode r) => Rv1Reader.ParseRLite(r);

    /// <summary>
    /// Builds R from <c>[[resource.config]]</c> entries as flux-core's rlist_from_config() does. Errors
    /// (EINVAL) are prefixed <c>resource.config[i]</c> with the 0-based entry index, e.g.
    /// <c>resource.config[1]: invalid hostlist 'x['</c>; no hosts at all, or hosts left with no
    /// resources, are errors too.
    /// </summary>
    public static Rv1 FromConfig(IEnumerable<ResourceConfigEntry> entries) => Rv1Reader.FromConfig(entries);

    /// <summary>
    /// Builds R giving every rank of <paramref name="ranks"/> the same cores and GPUs, as
    /// <c>flux R encode</c> does; <paramref name="hosts"/>, if given, names the ranks in ascending order
    /// and must hold exactly one host per rank (EINVAL otherwise).
    /// </summary>
    public static Rv1 Encode(IdSet ranks, IdSet cores, IdSet? gpus, Hostlist? hosts)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(cores);
        if (hosts is not null && hosts.Count != ranks.Count)
        {
            throw new FluxException(Errno.EINVAL, $"R encode: hostlist has {hosts.Count} hosts but there are {ranks.Count} ranks");
        }
        var list = new List<Rv1Rank>();
        var i = 0;
        foreach (var rank in ranks)
        {
            list.Add(new Rv1Rank(rank, hosts?[i++], cores, gpus ?? IdSet.Empty, []));
        }
        return new Rv1(list, 0, 0, null, null);
    }

    /// <summary>The resources of one rank, or null when the set does not hold it.</summary>
    public Rv1Rank? Find(uint rank)
    {
        int lo = 0, hi = _ranks.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var r = _ranks[mid].Rank;
            if (r == rank)
            {
                return _ranks[mid];
            }
            if (r < rank)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return null;
    }

    /// <summary>The ranks whose host names are in <paramref name="hosts"/>; EINVAL naming any host not in the set.</summary>
    public IdSet RanksOf(Hostlist hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var byName = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
        foreach (var r in _ranks.Where(r => r.Hostname is not null))
        {
            (byName.TryGetValue(r.Hostname!, out var l) ? l : byName[r.Hostname!] = []).Add(r.Rank);
        }
        var result = new IdSetBuilder();
        var missing = new List<string>();
        foreach (var host in hosts)
        {
            if (byName.TryGetValue(host, out var list))
            {
                list.ForEach(rank => result.Add(rank));
            }
            else
            {
                missing.Add(host);
            }
        }
        if (missing.Count > 0)
        {
            throw new FluxException(Errno.EINVAL, $"invalid hosts: {new Hostlist(missing)}");
        }
        return result.Build();
    }

    /// <summary>
    /// A copy with new start and expiration times (seconds since the epoch, 0 = unset). Throws EINVAL
    /// for a negative or non-finite time, or when both are set and expiration is not after starttime (RFC 20).
    /// </summary>
    public Rv1 WithTimes(double starttime, double expiration)
    {
        Rv1Reader.CheckTimes(starttime, expiration);
        return new(_ranks, starttime, expiration, NSlots, _scheduling);
    }

    /// <summary>
    /// R as JSON, in the layout flux-core writes: <c>{"version":1,"execution":{"R_lite":[...],
    /// "nslots"?,"starttime","expiration","nodelist"?,"properties"?},"scheduling"?}</c>. The nodelist is
    /// present when every rank has a host name; properties map names to rank idsets.
    /// </summary>
    public JsonObject ToJson() => Rv1Reader.ToJson(this, _ranks);

    /// <summary>Compact JSON text of <see cref="ToJson"/>.</summary>
    public override string ToString() => ToJson().ToJsonString(JsonUtil.Relaxed);

    /// <summary>
    /// flux-core's rlist_dumps() summary: ranks with identical resources grouped, e.g.
    /// <c>rank[0-3]/core[0-7]</c> or <c>rank0/core[0-1],gpu0 rank1/core0</c>; ranks without resources
    /// are omitted and the empty set is <c>""</c>.
    /// </summary>
    public string ToShortString()
    {
        var sb = new StringBuilder();
        foreach (var g in Groups(includeEmpty: false))
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }
            sb.Append("rank").Append(g.Ranks.Build()).Append('/');
            var children = new List<string>();
            if (!g.First.Cores.IsEmpty)
            {
                children.Add("core" + g.First.Cores);
            }
            if (!g.First.Gpus.IsEmpty)
            {
                children.Add("gpu" + g.First.Gpus);
            }
            sb.AppendJoin(',', children);
        }
        return sb.ToString();
    }

    private Rv1 Derive(IEnumerable<Rv1Rank> ranks) => new(ranks, StartTime, Expiration, null, _scheduling);

    // Ranks grouped by identical core and GPU sets, groups in order of their first rank.
    private List<(Rv1Rank First, IdSetBuilder Ranks)> Groups(bool includeEmpty)
    {
        var groups = new List<(Rv1Rank First, IdSetBuilder Ranks)>();
        var index = new Dictionary<(IdSet, IdSet), int>();
        foreach (var r in _ranks)
        {
            if (!includeEmpty && r.IsEmpty)
            {
                continue;
            }
            if (index.TryGetValue((r.Cores, r.Gpus), out var i))
            {
                groups[i].Ranks.Add(r.Rank);
                continue;
            }
            index[(r.Cores, r.Gpus)] = groups.Count;
            groups.Add((r, new IdSetBuilder().Add(r.Rank)));
        }
        return groups;
    }
}
