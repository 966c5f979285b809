// A fact that mounts a file system (a small tmpfs); reported as skipped when not run as root.
namespace Flux.Kvs.Tests;

internal sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root to mount a tmpfs";
        }
    }
}
