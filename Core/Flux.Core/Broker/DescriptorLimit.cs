// The process's open-file limit (RLIMIT_NOFILE): read it, and raise the soft limit to the hard one.
using System.Runtime.InteropServices;

namespace Flux.Core.Broker;

/// <summary>
/// A broker holds a descriptor per client, per module socket and per job pipe, so it runs with the
/// highest limit it may set itself: the soft limit raised to the hard one, as flux-core's broker
/// does at start. (The .NET runtime raises it too on Linux; the broker does not rely on that.)
/// </summary>
public static partial class DescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>
    /// Raises the soft limit to the hard limit. Returns the limit before and after; when the limits
    /// cannot be read (not Linux) both are -1.
    /// </summary>
    public static (long Before, long After) Raise()
    {
        try
        {
            if (getrlimit(RlimitNofile, out var lim) != 0)
            {
                return (-1, -1);
            }
            var before = (long)lim.Current;
            if (lim.Current < lim.Max)
            {
                var raised = lim with { Current = lim.Max };
                if (setrlimit(RlimitNofile, in raised) == 0)
                {
                    return (before, (long)Math.Min(lim.Max, long.MaxValue));
                }
            }
            return (before, before);
        }
        catch (DllNotFoundException)
        {
            return (-1, -1);
        }
    }

    /// <summary>The soft limit now, or <paramref name="unknown"/> when it cannot be read.</summary>
    public static long Current(long unknown)
    {
        try
        {
            return getrlimit(RlimitNofile, out var lim) == 0 ? (long)Math.Min(lim.Current, long.MaxValue) : unknown;
        }
        catch (DllNotFoundException)
        {
            return unknown;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Max);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int setrlimit(int resource, in RLimit limit);
}
