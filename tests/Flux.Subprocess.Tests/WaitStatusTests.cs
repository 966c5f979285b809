// Decoding of raw wait statuses, against the glibc W* macro values.
using Flux.Subprocess;

namespace Flux.Subprocess.Tests;

public sealed class WaitStatusTests
{
    [Theory]
    [InlineData(0x0000, true, 0, false, 0, false, 0)]
    [InlineData(0x0300, true, 3, false, 0, false, 3)]
    [InlineData(0xff00, true, 255, false, 0, false, 255)]
    [InlineData(0x000f, false, 0, true, 15, false, 143)]
    [InlineData(0x0009, false, 0, true, 9, false, 137)]
    [InlineData(0x008b, false, 0, true, 11, true, 139)]
    public void Decode_Status_MatchesWaitMacros(int status, bool exited, int exitStatus, bool signaled, int signal, bool core, int fluxCode)
    {
        Assert.Equal(exited, WaitStatus.IsExited(status));
        if (exited)
        {
            Assert.Equal(exitStatus, WaitStatus.ExitStatus(status));
        }
        Assert.Equal(signaled, WaitStatus.IsSignaled(status));
        if (signaled)
        {
            Assert.Equal(signal, WaitStatus.TermSignal(status));
        }
        Assert.Equal(core, WaitStatus.CoreDumped(status));
        Assert.Equal(fluxCode, WaitStatus.FluxExitCode(status));
    }

    [Fact]
    public void Decode_StoppedStatus_IsNeitherExitedNorSignaled()
    {
        // 0x137f: stopped by SIGSTOP, which only WUNTRACED waits report.
        Assert.False(WaitStatus.IsExited(0x137f));
        Assert.False(WaitStatus.IsSignaled(0x137f));
    }

    [Fact]
    public void FromExitStatus_RoundTrips()
    {
        Assert.Equal(127, WaitStatus.ExitStatus(WaitStatus.FromExitStatus(127)));
        Assert.Equal(0x7f00, WaitStatus.FromExitStatus(127));
    }
}
