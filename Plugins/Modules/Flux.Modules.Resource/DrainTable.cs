// Which ranks are drained, since when and why, with flux-core's drain/undrain update rules and eventlog replay (RFC 18).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Resource;

/// <summary>
/// Drain state by rank. The update rules are flux-core's (src/modules/resource/drain.c): a rank
/// already drained with a reason keeps it unless <c>overwrite</c> is 1 or 2; its timestamp changes
/// only when it becomes drained or when <c>overwrite</c> is 2 (force-overwrite).
/// </summary>
internal sealed class DrainTable
{
    private readonly SortedDictionary<uint, DrainInfo> _drained = [];

    /// <summary>The drained ranks.</summary>
    public IdSet Ranks => new(_drained.Keys);

    /// <summary>Whether a rank is drained.</summary>
    public bool IsDrained(uint rank) => _drained.ContainsKey(rank);

    /// <summary>Whether a rank is drained with a reason set (the case a plain drain refuses).</summary>
    public bool HasReason(uint rank) => _drained.TryGetValue(rank, out var d) && d.Reason is not null;

    /// <summary>Drains ranks; returns those that were not drained before.</summary>
    public IdSet Drain(IdSet ranks, double timestamp, string? reason, int overwrite)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var added = new IdSetBuilder();
        foreach (var rank in ranks)
        {
            var had = _drained.TryGetValue(rank, out var info);
            if (overwrite == 0 && had && info!.Reason is not null)
            {
                continue;
            }
            _drained[rank] = new DrainInfo(!had || overwrite == 2 ? timestamp : info!.Timestamp, reason);
            if (!had)
            {
                added.Add(rank);
            }
        }
        return added.Build();
    }

    /// <summary>Undrains ranks; returns those that were drained.</summary>
    public IdSet Undrain(IdSet ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var removed = new IdSetBuilder();
        foreach (var rank in ranks)
        {
            if (_drained.Remove(rank))
            {
                removed.Add(rank);
            }
        }
        return removed.Build();
    }

    /// <summary>
    /// Replays <c>drain</c> and <c>undrain</c> events. Each event names ranks and their hosts; a host
    /// that now has another rank is mapped to it, and one no longer in R is skipped, as flux-core does.
    /// Throws EPROTO naming the line of a malformed event.
    /// </summary>
    public void Replay(IReadOnlyList<EventlogEntry> events, Rv1 r)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(r);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Name is not ("drain" or "undrain"))
            {
                continue;
            }
            var context = e.Context;
            if (context?["idset"] is not JsonValue idv || !idv.TryGetValue(out string? idText) || !IdSet.TryParse(idText, out var ids)
                || context["nodelist"] is not JsonValue nlv || !nlv.TryGetValue(out string? nlText) || !Hostlist.TryParse(nlText, out var nodelist))
            {
                throw new FluxException(Errno.EPROTO, string.Create(CultureInfo.InvariantCulture, $"resource.eventlog: line {i + 1}: {e.Name} parse error"));
            }
            var ranks = MapTargets(ids, nodelist, r);
            if (e.Name == "undrain")
            {
                Undrain(ranks);
                continue;
            }
            var reason = context["reason"] is JsonValue rv && rv.TryGetValue(out string? s) ? s : null;
            var overwrite = context["overwrite"] is JsonValue ov && ov.TryGetValue(out int o) ? o : 1;
            Drain(ranks, e.Timestamp, reason, overwrite);
        }
    }

    /// <summary>
    /// flux-core's drain info for resource.status: ranks with the same (rounded) timestamp and reason
    /// grouped under one idset key: <c>{"1-2": {"timestamp": T, "reason": "..."}}</c>.
    /// </summary>
    public JsonObject ToJson()
    {
        var groups = new List<(double Timestamp, string Reason, IdSetBuilder Ranks)>();
        foreach (var (rank, info) in _drained)
        {
            var ts = Math.Round(info.Timestamp);
            var reason = info.Reason ?? string.Empty;
            var g = groups.FindIndex(x => x.Timestamp == ts && x.Reason == reason);
            if (g < 0)
            {
                groups.Add((ts, reason, new IdSetBuilder().Add(rank)));
            }
            else
            {
                groups[g].Ranks.Add(rank);
            }
        }
        var o = new JsonObject();
        foreach (var (ts, reason, ranks) in groups)
        {
            o[ranks.Build().Encode(IdSetFormat.Range)] = new JsonObject { ["timestamp"] = ts, ["reason"] = reason };
        }
        return o;
    }

    private static IdSet MapTargets(IdSet ids, Hostlist nodelist, Rv1 r)
    {
        var result = new IdSetBuilder();
        var i = 0;
        foreach (var rank in ids)
        {
            var host = i < nodelist.Count ? nodelist[i] : null;
            i++;
            var node = r.Find(rank);
            if (host is null || node?.Hostname == host)
            {
                if (node is not null)
                {
                    result.Add(rank);
                }
                continue;
            }
            var moved = r.Nodes.FirstOrDefault(n => n.Hostname == host);
            if (moved is not null)
            {
                result.Add(moved.Rank);
            }
        }
        return result.Build();
    }

    private sealed record DrainInfo(double Timestamp, string? Reason);
}
