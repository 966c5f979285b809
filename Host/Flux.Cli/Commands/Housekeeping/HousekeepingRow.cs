// One line of flux housekeeping list: a job whose resources are still in housekeeping (flux-core's flux-housekeeping.py HousekeepingJob).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Commands;

/// <summary>
/// A job from <c>job-manager.stats-get</c>'s <c>housekeeping.running</c>: its id, when housekeeping
/// started, and two rank sets, <c>allocated</c> (not yet released to the scheduler) and <c>pending</c>
/// (housekeeping still running), each with its ranks, node count and node list.
/// </summary>
internal sealed class HousekeepingRow
{
    private readonly Hostlist _hosts;

    public HousekeepingRow(ulong id, double tStart, IdSet allocated, IdSet pending, Hostlist hosts, double now)
    {
        Id = id;
        TStart = tStart;
        Runtime = Math.Max(0, now - tStart);
        Allocated = allocated;
        Pending = pending;
        _hosts = hosts;
    }

    public static Dictionary<string, string> Headings { get; } = new(StringComparer.Ordinal)
    {
        ["id"] = "JOBID",
        ["id.dec"] = "JOBID",
        ["id.hex"] = "JOBID",
        ["id.f58"] = "JOBID",
        ["id.f58plain"] = "JOBID",
        ["id.emoji"] = "JOBID",
        ["id.kvs"] = "JOBID",
        ["id.words"] = "JOBID",
        ["id.dothex"] = "JOBID",
        ["t_start"] = "T_START",
        ["runtime"] = "RUNTIME",
        ["ranks"] = "RANKS",
        ["nodelist"] = "NODELIST",
        ["nnodes"] = "NNODES",
        ["allocated.ranks"] = "RANKS",
        ["allocated.nodelist"] = "NODELIST",
        ["allocated.nnodes"] = "NNODES",
        ["pending.ranks"] = "ACTIVE_RANKS",
        ["pending.nodelist"] = "ACTIVE_NODES",
        ["pending.nnodes"] = "#ACTIVE",
    };

    public ulong Id { get; }

    public double TStart { get; }

    public double Runtime { get; }

    public IdSet Allocated { get; private set; }

    public IdSet Pending { get; private set; }

    /// <summary>Keeps only the ranks in <paramref name="include"/> (flux housekeeping list -i).</summary>
    public void Filter(IdSet include)
    {
        Allocated = Allocated.Intersect(include);
        Pending = Pending.Intersect(include);
    }

    public object? Get(string field) => field switch
    {
        "id" or "id.f58" => JobIdArg.F58(Id),
        "id.dec" => Id.ToString(CultureInfo.InvariantCulture),
        "id.hex" => Fluid.Encode(Id, FluidEncoding.Hex),
        "id.f58plain" => Fluid.Encode(Id, FluidEncoding.F58Plain),
        "id.emoji" => Fluid.Encode(Id, FluidEncoding.Emoji),
        "id.kvs" => Fluid.Encode(Id, FluidEncoding.Kvs),
        "id.words" => Fluid.Encode(Id, FluidEncoding.Words),
        "id.dothex" => Fluid.Encode(Id, FluidEncoding.Dothex),
        "t_start" => TStart,
        "runtime" => Runtime,
        "ranks" or "allocated.ranks" => Allocated.Encode(IdSetFormat.Range),
        "nnodes" or "allocated.nnodes" => Allocated.Count,
        "nodelist" or "allocated.nodelist" => Nodelist(Allocated),
        "pending.ranks" => Pending.Encode(IdSetFormat.Range),
        "pending.nnodes" => Pending.Count,
        "pending.nodelist" => Nodelist(Pending),
        _ => null,
    };

    private string Nodelist(IdSet ranks)
    {
        var names = _hosts.Expand();
        return new Hostlist(ranks.Where(r => r < names.Count).Select(r => names[(int)r])).ToString();
    }
}
