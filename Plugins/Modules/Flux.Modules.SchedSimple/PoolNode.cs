// One rank of the scheduler's resource pool: its cores and GPUs (RFC 20 logical ids), which are in use, and whether it is up.
using Flux.Formats;

namespace Flux.Modules.SchedSimple;

/// <summary>
/// The allocation state of one rank. Ids are taken lowest first, so allocations are predictable
/// (<c>rank0/core[0-1]</c> for the first two-core job).
/// </summary>
internal sealed class PoolNode
{
    private readonly bool[] _coreUsed;
    private readonly bool[] _gpuUsed;

    public PoolNode(Rv1Rank rank)
    {
        ArgumentNullException.ThrowIfNull(rank);
        Rank = rank.Rank;
        Hostname = rank.Hostname;
        Properties = rank.Properties;
        Cores = [.. rank.Cores];
        Gpus = [.. rank.Gpus];
        _coreUsed = new bool[Cores.Length];
        _gpuUsed = new bool[Gpus.Length];
        FreeCores = Cores.Length;
        FreeGpus = Gpus.Length;
    }

    public uint Rank { get; }

    public string? Hostname { get; }

    public IReadOnlyList<string> Properties { get; }

    public uint[] Cores { get; }

    public uint[] Gpus { get; }

    public int FreeCores { get; private set; }

    public int FreeGpus { get; private set; }

    /// <summary>Whether the rank may receive new allocations (not drained or offline).</summary>
    public bool Up { get; set; } = true;

    /// <summary>Whether nothing on the rank is allocated.</summary>
    public bool IsIdle => FreeCores == Cores.Length && FreeGpus == Gpus.Length;

    /// <summary>The lowest <paramref name="cores"/> free core ids and <paramref name="gpus"/> free GPU ids (not yet taken).</summary>
    public (uint[] Cores, uint[] Gpus) Pick(int cores, int gpus) => (Lowest(Cores, _coreUsed, cores), Lowest(Gpus, _gpuUsed, gpus));

    /// <summary>Marks ids as allocated; ids the rank does not have, or already allocated, are ignored.</summary>
    public void Take(IEnumerable<uint> cores, IEnumerable<uint> gpus)
    {
        FreeCores -= Set(Cores, _coreUsed, cores, true);
        FreeGpus -= Set(Gpus, _gpuUsed, gpus, true);
    }

    /// <summary>Marks ids as free again; ids not allocated are ignored.</summary>
    public void Release(IEnumerable<uint> cores, IEnumerable<uint> gpus)
    {
        FreeCores += Set(Cores, _coreUsed, cores, false);
        FreeGpus += Set(Gpus, _gpuUsed, gpus, false);
    }

    /// <summary>Frees everything on the rank.</summary>
    public void Clear()
    {
        Array.Clear(_coreUsed);
        Array.Clear(_gpuUsed);
        FreeCores = Cores.Length;
        FreeGpus = Gpus.Length;
    }

    /// <summary>The allocated core and GPU ids.</summary>
    public (IEnumerable<uint> Cores, IEnumerable<uint> Gpus) Allocated() =>
        (Cores.Where((_, i) => _coreUsed[i]), Gpus.Where((_, i) => _gpuUsed[i]));

    private static uint[] Lowest(uint[] ids, bool[] used, int n)
    {
        var result = new uint[n];
        var k = 0;
        for (var i = 0; i < ids.Length && k < n; i++)
        {
            if (!used[i])
            {
                result[k++] = ids[i];
            }
        }
        return k == n ? result : throw new InvalidOperationException($"rank has fewer than {n} free ids");
    }

    // Returns how many ids changed state.
    private static int Set(uint[] ids, bool[] used, IEnumerable<uint> which, bool value)
    {
        var changed = 0;
        foreach (var id in which)
        {
            var i = Array.BinarySearch(ids, id);
            if (i >= 0 && used[i] != value)
            {
                used[i] = value;
                changed++;
            }
        }
        return changed;
    }
}
