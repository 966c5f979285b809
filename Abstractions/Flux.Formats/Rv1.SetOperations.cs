// Set operations on RFC 20 resource sets, rank by rank, as flux-core's rlist_diff/union/intersect.
namespace Flux.Formats;

public sealed partial class Rv1
{
    /// <summary>The ranks of this set that are in <paramref name="ranks"/>, unchanged.</summary>
    public Rv1 CopyRanks(IdSet ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        return Derive(_ranks.Where(r => ranks.Contains(r.Rank)));
    }

    /// <summary>
    /// This set without the cores and GPUs of <paramref name="other"/>, rank by rank; ranks left with
    /// no resources are dropped (flux-core's rlist_diff).
    /// </summary>
    public Rv1 Subtract(Rv1 other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<Rv1Rank>();
        foreach (var r in _ranks)
        {
            var o = other.Find(r.Rank);
            var left = o is null ? r : r with { Cores = r.Cores.Subtract(o.Cores), Gpus = r.Gpus.Subtract(o.Gpus) };
            if (o is null || !left.IsEmpty)
            {
                result.Add(left);
            }
        }
        return Derive(result);
    }

    /// <summary>
    /// The resources in either set (flux-core's rlist_union). For a rank in both, ids and properties are
    /// merged and this set's host name wins.
    /// </summary>
    public Rv1 Union(Rv1 other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = _ranks.ToDictionary(r => r.Rank);
        foreach (var o in other._ranks)
        {
            result[o.Rank] = result.TryGetValue(o.Rank, out var r)
                ? r with
                {
                    Hostname = r.Hostname ?? o.Hostname,
                    Cores = r.Cores.Union(o.Cores),
                    Gpus = r.Gpus.Union(o.Gpus),
                    Properties = [.. r.Properties.Union(o.Properties, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                }
                : o;
        }
        return Derive(result.Values);
    }

    /// <summary>The resources in both sets, rank by rank, with this set's host names and properties.</summary>
    public Rv1 Intersect(Rv1 other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new List<Rv1Rank>();
        foreach (var r in _ranks)
        {
            if (other.Find(r.Rank) is { } o)
            {
                var both = r with { Cores = r.Cores.Intersect(o.Cores), Gpus = r.Gpus.Intersect(o.Gpus) };
                if (!both.IsEmpty)
                {
                    result.Add(both);
                }
            }
        }
        return Derive(result);
    }
}
