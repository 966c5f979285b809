// A theory that needs MPICH's compiler wrapper; reported as skipped where it is not installed.
namespace Flux.EndToEnd.Tests;

internal sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (!File.Exists("/usr/bin/mpicc"))
        {
            Skip = "needs MPICH (apt-get install mpich libmpich-dev; .ci/run installs it when run as root)";
        }
    }
}
