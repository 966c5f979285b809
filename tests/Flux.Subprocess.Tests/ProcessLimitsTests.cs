// The limits a task-starting process reads from the kernel.
using System.Diagnostics;
using Flux.Subprocess;

namespace Flux.Subprocess.Tests;

// The descriptor count is the whole process's: tests running in parallel open and close descriptors
// between the two counts, so these run alone.
[Collection(nameof(ProcessLimitsTests))]
public sealed class ProcessLimitsTests
{
    [Fact]
    public void Current_OpenFilesLimit_IsTheShellsUlimitN()
    {
        using var sh = Process.Start(new ProcessStartInfo("sh", ["-c", "ulimit -n"]) { RedirectStandardOutput = true })!;
        var text = sh.StandardOutput.ReadToEnd().Trim();
        Assert.True(sh.WaitForExit(TimeSpan.FromSeconds(30)), "sh -c 'ulimit -n' did not finish");
        var limits = ProcessLimits.Current();
        Assert.Equal(text == "unlimited" ? long.MaxValue : long.Parse(text, System.Globalization.CultureInfo.InvariantCulture), limits.OpenFilesLimit);
        Assert.True(limits.ProcessLimit > 0);
        Assert.True(limits.MemoryBytes > 0);
    }

    [Fact]
    public void OpenFiles_CountsADescriptorOpenedHere()
    {
        var before = ProcessLimits.OpenFiles();
        using var f = File.OpenRead("/proc/self/status");
        Assert.True(ProcessLimits.OpenFiles() > before);
    }
}

[CollectionDefinition(nameof(ProcessLimitsTests), DisableParallelization = true)]
public sealed class ProcessLimitsCollection;
