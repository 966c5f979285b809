// The exit code flux run, flux job status and flux submit --wait report for a job's wait status.
using Flux.Cli.Jobs;

namespace Flux.Cli.Tests;

public sealed class JobExitTests
{
    [Theory]
    [InlineData(0, true, 0)]
    [InlineData(3 << 8, false, 3)]
    [InlineData(9, false, 137)]
    [InlineData(15, false, 143)]
    [InlineData(0, false, 1)]
    [InlineData(-1, true, 1)]
    public void Code_WaitStatus_IsTheShellsExitCode(int status, bool success, int expected) =>
        Assert.Equal(expected, JobExit.Code(status, success));
}
