// The scheduler's resource pool: the RFC 28 resource set, up/down ranks, first-fit allocation and the jobs' allocations (RFC 20 R).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.SchedSimple;

/// <summary>
/// Allocates first-fit over ranks in rank order, lowest ids first. Node requests take
/// <see cref="ResourceRequest.SlotsPerNode"/> slots on each of <see cref="ResourceRequest.NNodes"/>
/// ranks, or whole idle ranks when exclusive; slot requests pack slots onto ranks in order. Ranks that
/// are down or fail the constraints are skipped. Feasibility ignores up/down and current allocations.
/// With <see cref="Oversubscribe"/>, a request for more cores than the matching nodes have (and no
/// GPUs, not exclusive) is not refused: it waits for whole idle nodes and its tasks share their cores.
/// </summary>
internal sealed class ResourcePool
{
    private readonly List<PoolNode> _nodes;
    private readonly Dictionary<uint, PoolNode> _byRank;
    private readonly Dictionary<ulong, Rv1> _jobs = [];

    public ResourcePool(Rv1 all, IdSet up)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(up);
        All = all;
        _nodes = [.. all.Nodes.Select(r => new PoolNode(r) { Up = up.Contains(r.Rank) })];
        _byRank = _nodes.ToDictionary(n => n.Rank);
    }

    /// <summary>Every resource the scheduler was given.</summary>
    public Rv1 All { get; }

    /// <summary>
    /// Whether a request that needs more cores than exist may run on whole nodes with several tasks
    /// per core (a personal instance on a workstation), instead of being refused as unsatisfiable.
    /// </summary>
    public bool Oversubscribe { get; set; }

    /// <summary>Number of jobs holding resources.</summary>
    public int JobCount => _jobs.Count;

    /// <summary>Marks ranks up or down; returns whether anything changed.</summary>
    public bool SetUp(IdSet ranks, bool up)
    {
        var changed = false;
        foreach (var rank in ranks)
        {
            if (_byRank.TryGetValue(rank, out var n) && n.Up != up)
            {
                n.Up = up;
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Why a request can never be satisfied by all resources, or null when it can.</summary>
    public string? Infeasible(ResourceRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var matching = Matching(req);
        var with = req.Constraint is { } c ? $" with {Constraints.Describe(c)}" : string.Empty;
        if (req.NNodes > 0)
        {
            var spn = req.SlotsPerNode;
            long needCores = (long)spn * req.SlotCores, needGpus = (long)spn * req.SlotGpus;
            if (matching.Count < req.NNodes)
            {
                return $"unsatisfiable request: requires {Plural(req.NNodes, "node")}{with} but only {matching.Count} exist";
            }
            var fit = NodesThatFit(req, matching);
            if (fit < req.NNodes && !CanOversubscribe(req, matching))
            {
                var gpuText = needGpus > 0 ? $" and {Plural(needGpus, "gpu")}" : string.Empty;
                return $"unsatisfiable request: requires {Plural(req.NNodes, "node")} with {Plural(needCores, "core")}{gpuText} each{with} but only {fit} have them";
            }
            return null;
        }
        var capacity = SlotCapacity(req, matching);
        if (capacity >= req.NSlots || CanOversubscribe(req, matching))
        {
            return null;
        }
        if (matching.Count == 0)
        {
            return $"unsatisfiable request: no nodes{with}";
        }
        var slot = Plural(req.SlotCores, "core") + (req.SlotGpus > 0 ? $" and {Plural(req.SlotGpus, "gpu")}" : string.Empty);
        return capacity == 0
            ? $"unsatisfiable request: a slot of {slot} does not fit on any node{with}"
            : $"unsatisfiable request: requires {Plural(req.NSlots, "slot")} of {slot}{with} but only {capacity} fit";
    }

    /// <summary>
    /// Allocates for a job now, or returns null when the free, up resources do not suffice. The
    /// result has host names, no properties, and <c>nslots</c>; times are left for the caller.
    /// </summary>
    public Rv1? TryAlloc(ulong id, ResourceRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var picks = new List<(PoolNode Node, uint[] Cores, uint[] Gpus)>();
        if (req.NNodes > 0)
        {
            int needCores = req.SlotsPerNode * req.SlotCores, needGpus = req.SlotsPerNode * req.SlotGpus;
            foreach (var n in _nodes)
            {
                if (picks.Count == req.NNodes)
                {
                    break;
                }
                if (!n.Up || !Eligible(n, req.Constraint))
                {
                    continue;
                }
                if (req.Exclusive)
                {
                    if (n.IsIdle && n.Cores.Length >= needCores && n.Gpus.Length >= needGpus)
                    {
                        picks.Add((n, n.Cores, n.Gpus));
                    }
                }
                else if (n.FreeCores >= needCores && n.FreeGpus >= needGpus)
                {
                    var (c, g) = n.Pick(needCores, needGpus);
                    picks.Add((n, c, g));
                }
            }
            if (picks.Count < req.NNodes)
            {
                return NeedsOversubscription(req) ? AllocWholeNodes(id, req, req.NNodes) : null;
            }
        }
        else
        {
            var remaining = req.NSlots;
            foreach (var n in _nodes)
            {
                if (remaining == 0)
                {
                    break;
                }
                if (!n.Up || !Eligible(n, req.Constraint))
                {
                    continue;
                }
                var take = Math.Min(remaining, SlotsOn(n.FreeCores, n.FreeGpus, req));
                if (take > 0)
                {
                    var (c, g) = n.Pick(take * req.SlotCores, take * req.SlotGpus);
                    picks.Add((n, c, g));
                    remaining -= take;
                }
            }
            if (remaining > 0)
            {
                return NeedsOversubscription(req) ? AllocWholeNodes(id, req, null) : null;
            }
        }
        return Commit(id, req, picks);
    }

    /// <summary>Whether a request only fits with several tasks per core (and may, per <see cref="Oversubscribe"/>).</summary>
    private bool NeedsOversubscription(ResourceRequest req)
    {
        if (!Oversubscribe)
        {
            return false;
        }
        var matching = Matching(req);
        var fits = req.NNodes > 0 ? NodesThatFit(req, matching) >= req.NNodes : SlotCapacity(req, matching) >= req.NSlots;
        return !fits && CanOversubscribe(req, matching);
    }

    private List<PoolNode> Matching(ResourceRequest req) => [.. _nodes.Where(n => Eligible(n, req.Constraint))];

    // Nodes of a node request that could hold its slots, all of them free.
    private static int NodesThatFit(ResourceRequest req, List<PoolNode> matching) =>
        matching.Count(n => n.Cores.Length >= (long)req.SlotsPerNode * req.SlotCores && n.Gpus.Length >= (long)req.SlotsPerNode * req.SlotGpus);

    // Slots of a slot request that all matching nodes could hold, all of them free.
    private static long SlotCapacity(ResourceRequest req, List<PoolNode> matching) =>
        matching.Sum(n => (long)SlotsOn(n.Cores.Length, n.Gpus.Length, req));

    // Oversubscription shares cores between tasks, never GPUs, and never breaks exclusivity: the job
    // gets whole nodes (NNodes for a node request, every matching one for a slot request), each able
    // to hold a slot.
    private bool CanOversubscribe(ResourceRequest req, List<PoolNode> matching) =>
        Oversubscribe && req.SlotGpus == 0 && !req.Exclusive
        && matching.Count(n => n.Cores.Length >= req.SlotCores) >= Math.Max(1, req.NNodes);

    // The first <paramref name="count"/> up, eligible nodes that can hold a slot (all of them when
    // null), taken whole once they are idle.
    private Rv1? AllocWholeNodes(ulong id, ResourceRequest req, int? count)
    {
        var capable = _nodes.Where(n => n.Up && Eligible(n, req.Constraint) && n.Cores.Length >= req.SlotCores).ToList();
        var want = count ?? capable.Count;
        var picks = capable.Where(n => n.IsIdle).Take(want).Select(n => (n, n.Cores, Array.Empty<uint>())).ToList();
        return want > 0 && picks.Count == want ? Commit(id, req, picks) : null;
    }

    private Rv1 Commit(ulong id, ResourceRequest req, List<(PoolNode Node, uint[] Cores, uint[] Gpus)> picks)
    {
        var writer = new RWriter();
        foreach (var (node, cores, gpus) in picks)
        {
            node.Take(cores, gpus);
            writer.Add(node.Rank, node.Hostname, cores, gpus);
        }
        var r = writer.Build(req.NSlots);
        _jobs[id] = r;
        return r;
    }

    /// <summary>Records the allocation of a job that already holds resources (sched-hello). Returns ranks not in the pool.</summary>
    public IdSet Register(ulong id, Rv1 r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var missing = new IdSetBuilder();
        foreach (var rank in r.Nodes)
        {
            if (_byRank.TryGetValue(rank.Rank, out var n))
            {
                n.Take(rank.Cores, rank.Gpus);
            }
            else
            {
                missing.Add(rank.Rank);
            }
        }
        _jobs[id] = r;
        return missing.Build();
    }

    /// <summary>
    /// Releases a job's resources: those of <paramref name="r"/> (whole ranks, RFC 27 sched.free), or
    /// all it holds when <paramref name="r"/> is null. With <paramref name="final"/> the job is forgotten.
    /// </summary>
    public void Free(ulong id, Rv1? r, bool final, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _jobs.TryGetValue(id, out var held);
        var release = r ?? held;
        if (release is null)
        {
            SchedSimpleLog.FreeUnknownJob(log, Fluid.Encode(id, FluidEncoding.F58));
            return;
        }
        foreach (var rank in release.Nodes)
        {
            if (_byRank.TryGetValue(rank.Rank, out var n))
            {
                n.Release(rank.Cores, rank.Gpus);
            }
        }
        if (final || r is null || held is null)
        {
            _jobs.Remove(id);
        }
        else
        {
            _jobs[id] = held.CopyRanks(held.Ranks.Subtract(r.Ranks));
        }
    }

    /// <summary>Forgets every allocation (a new job-manager will say again who holds what).</summary>
    public void Reset()
    {
        _jobs.Clear();
        foreach (var n in _nodes)
        {
            n.Clear();
        }
    }

    /// <summary><c>sched.resource-status</c>: <c>{all, down, allocated}</c> as R objects with host names and properties.</summary>
    public JsonObject StatusJson()
    {
        var allocated = new RWriter();
        foreach (var n in _nodes.Where(n => !n.IsIdle))
        {
            var (cores, gpus) = n.Allocated();
            allocated.Add(n.Rank, n.Hostname, cores, gpus, n.Properties);
        }
        var down = new IdSet(_nodes.Where(n => !n.Up).Select(n => n.Rank));
        return new JsonObject
        {
            ["all"] = All.ToJson(),
            ["down"] = All.CopyRanks(down).ToJson(),
            ["allocated"] = allocated.Build().ToJson(),
        };
    }

    private static bool Eligible(PoolNode n, JsonObject? constraint) =>
        constraint is null || Constraints.Matches(constraint, n.Rank, n.Hostname, n.Properties);

    private static int SlotsOn(int cores, int gpus, ResourceRequest req)
    {
        var slots = cores / req.SlotCores;
        return req.SlotGpus > 0 ? Math.Min(slots, gpus / req.SlotGpus) : slots;
    }

    private static string Plural(long n, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {what}{(n == 1 ? "" : "s")}");
}
