// The exit code a job's command reports (flux run, flux job attach, flux job status, flux submit --wait).
namespace Flux.Cli.Jobs;

internal static class JobExit
{
    /// <summary>
    /// The exit code of a job, as flux run and flux job status report it: the exit status, 128+N for a
    /// task killed by signal N, and 1 for a job without a wait status (no finish event) or one that
    /// failed (an exception) with exit status 0.
    /// </summary>
    public static int Code(int waitStatus, bool success = true)
    {
        if (waitStatus < 0)
        {
            return 1;
        }
        var code = (waitStatus & 0x7f) != 0 ? 128 + (waitStatus & 0x7f) : (waitStatus >> 8) & 0xff;
        return code == 0 && !success ? 1 : code;
    }
}
