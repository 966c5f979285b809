// Builds RFC 20 R (version 1) from per-rank core and GPU ids, with host names and optionally properties.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Modules.SchedSimple;

/// <summary>Assembles an <see cref="Rv1"/> rank by rank (ranks in any order; each at most once).</summary>
internal sealed class RWriter
{
    private readonly SortedDictionary<uint, (string? Host, IdSet Cores, IdSet Gpus, IReadOnlyList<string> Properties)> _ranks = [];

    public RWriter Add(uint rank, string? host, IEnumerable<uint> cores, IEnumerable<uint> gpus, IReadOnlyList<string>? properties = null)
    {
        _ranks[rank] = (host, new IdSet(cores), new IdSet(gpus), properties ?? []);
        return this;
    }

    public int Count => _ranks.Count;

    /// <summary>The R; <paramref name="nslots"/> is written as execution.nslots when given.</summary>
    public Rv1 Build(int? nslots = null)
    {
        var rlite = new JsonArray();
        var properties = new SortedDictionary<string, IdSetBuilder>(StringComparer.Ordinal);
        foreach (var (rank, (_, cores, gpus, props)) in _ranks)
        {
            var children = new JsonObject { ["core"] = cores.Encode(IdSetFormat.Range) };
            if (!gpus.IsEmpty)
            {
                children["gpu"] = gpus.Encode(IdSetFormat.Range);
            }
            rlite.Add(new JsonObject { ["rank"] = rank.ToString(CultureInfo.InvariantCulture), ["children"] = children });
            foreach (var p in props)
            {
                (properties.TryGetValue(p, out var b) ? b : properties[p] = new IdSetBuilder()).Add(rank);
            }
        }
        var execution = new JsonObject { ["R_lite"] = rlite, ["starttime"] = 0, ["expiration"] = 0 };
        if (nslots is { } n)
        {
            execution["nslots"] = n;
        }
        if (_ranks.Count > 0 && _ranks.Values.All(r => r.Host is not null))
        {
            execution["nodelist"] = new JsonArray(new Hostlist(_ranks.Values.Select(r => r.Host!)).ToString());
        }
        if (properties.Count > 0)
        {
            var o = new JsonObject();
            foreach (var (name, ranks) in properties)
            {
                o[name] = ranks.Build().Encode(IdSetFormat.Range);
            }
            execution["properties"] = o;
        }
        return Rv1.Parse(new JsonObject { ["version"] = 1, ["execution"] = execution });
    }
}
