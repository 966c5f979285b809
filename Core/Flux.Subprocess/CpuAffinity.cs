// Binds the calling thread to a CPU set for the length of a spawn: posix_spawn's child inherits the
// thread's affinity, so the task runs bound from its first instruction and no other thread is touched.
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

internal sealed unsafe partial class CpuAffinity : IDisposable
{
    private readonly byte[] _saved;

    private CpuAffinity(byte[] saved)
    {
        _saved = saved;
    }

    /// <summary>
    /// Binds the calling thread to <paramref name="cpus"/> until disposed (null: nothing to do).
    /// Returns the errno of a failed sched_setaffinity (EINVAL: none of the CPUs is usable) with a null binding.
    /// </summary>
    public static (CpuAffinity? Binding, int Errno) Bind(IReadOnlyList<int>? cpus)
    {
        if (cpus is null || cpus.Count == 0)
        {
            return (null, 0);
        }
        // Whole 64-bit words, at least glibc's cpu_set_t (1024 CPUs): the kernel rejects a mask shorter than its own.
        var bytes = Math.Max(128, ((cpus.Max() / 64) + 1) * 8);
        var saved = new byte[bytes];
        if (Get(saved) is var getErrno and not 0)
        {
            return (null, getErrno);
        }
        var mask = new byte[bytes];
        foreach (var cpu in cpus)
        {
            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        }
        return Set(mask) is var setErrno and not 0 ? (null, setErrno) : (new CpuAffinity(saved), 0);
    }

    public void Dispose() => _ = Set(_saved);

    private static int Get(byte[] mask)
    {
        fixed (byte* p = mask)
        {
            return sched_getaffinity(0, (nuint)mask.Length, p) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    private static int Set(byte[] mask)
    {
        fixed (byte* p = mask)
        {
            return sched_setaffinity(0, (nuint)mask.Length, p) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    // pid 0 is the calling thread.
    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, byte* mask);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, byte* mask);
}
