// The Lua state's allocator: malloc/realloc/free with a ceiling on what scripts may hold.
using System.Runtime.InteropServices;

namespace Flux.Shell.Lua;

/// <summary>
/// Counts the state's memory and refuses growth past the limit while a script runs, so that
/// <c>string.rep("x", 1e10)</c> fails with Lua's "not enough memory" instead of exhausting the node.
/// The limit is lifted while the engine itself pushes values (<see cref="Suspended"/>): an allocation
/// failure there would raise a Lua error through a managed frame.
/// </summary>
internal sealed class LuaAllocator(long limit)
{
    public long Used { get; private set; }

    /// <summary>Greater than zero while the engine's own code runs; the limit applies only at zero.</summary>
    public int Suspended { get; set; } = 1;

    public IntPtr Allocate(IntPtr ud, IntPtr ptr, UIntPtr osize, UIntPtr nsize)
    {
        // With ptr null, osize carries the kind of object being created, not a size (lua_Alloc).
        long old = ptr == IntPtr.Zero ? 0 : (long)osize;
        if (nsize == UIntPtr.Zero)
        {
            if (ptr != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(ptr);
                Used -= old;
            }
            return IntPtr.Zero;
        }
        long grow = (long)nsize - old;
        if (grow > 0 && Suspended == 0 && Used + grow > limit)
        {
            return IntPtr.Zero;
        }
        try
        {
            var p = ptr == IntPtr.Zero ? Marshal.AllocHGlobal((nint)nsize) : Marshal.ReAllocHGlobal(ptr, (nint)nsize);
            Used += grow;
            return p;
        }
        catch (OutOfMemoryException)
        {
            // Lua turns a null into its own memory error; an exception must not leave this native callback.
            return IntPtr.Zero;
        }
    }
}
