// What this process may still open and start: descriptors, processes and memory, read from the kernel.
namespace Flux.Subprocess;

/// <summary>
/// The limits a process that starts tasks runs into: its soft descriptor limit (<c>ulimit -n</c>) and
/// how many descriptors it holds, the processes its user may have (<c>ulimit -u</c>, not enforced
/// for root) and the kernel's pid and thread ceilings, and the memory the runtime may use (the
/// machine's or the container's). Read when asked, so a raised limit counts at once.
/// </summary>
public sealed unsafe class ProcessLimits
{
    /// <summary>Limits as given (tests, or a caller that knows better); <see cref="Current"/> reads the real ones.</summary>
    public ProcessLimits(long openFilesLimit, long processLimit, long memoryBytes)
    {
        OpenFilesLimit = openFilesLimit;
        ProcessLimit = processLimit;
        MemoryBytes = memoryBytes;
    }

    /// <summary>The soft RLIMIT_NOFILE; <see cref="long.MaxValue"/> when unlimited.</summary>
    public long OpenFilesLimit { get; }

    /// <summary>
    /// The fewest of the soft RLIMIT_NPROC (ignored for root, whom the kernel does not hold to it),
    /// <c>kernel.pid_max</c> and <c>kernel.threads-max</c>; <see cref="long.MaxValue"/> when none is known.
    /// </summary>
    public long ProcessLimit { get; }

    /// <summary>Memory the runtime may use: physical memory or the container's limit.</summary>
    public long MemoryBytes { get; }

    // The node's kernel.pid_max and kernel.threads-max, read once per process: every job's shell checks
    // its task count against them, and an admin changing them while jobs run is not worth two file reads a job.
    private static readonly Lazy<long> KernelProcesses = new(() =>
        Math.Min(ReadProcLong("/proc/sys/kernel/pid_max"), ReadProcLong("/proc/sys/kernel/threads-max")));

    /// <summary>Reads the limits of this process now (the kernel's process limits as read at first use).</summary>
    public static ProcessLimits Current()
    {
        var processes = KernelProcesses.Value;
        if (LibC.geteuid() != 0)
        {
            processes = Math.Min(processes, RLimit(LibC.RlimitNproc));
        }
        return new ProcessLimits(RLimit(LibC.RlimitNofile), processes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    /// <summary>How many descriptors this process holds now (the entries of /proc/self/fd); costs one directory read.</summary>
    public static int OpenFiles()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long RLimit(int resource)
    {
        LibC.RLimit limit;
        if (LibC.getrlimit(resource, &limit) != 0 || limit.Current > long.MaxValue)
        {
            return long.MaxValue;
        }
        return (long)limit.Current;
    }

    private static long ReadProcLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : long.MaxValue;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }
}
