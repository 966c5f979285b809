// The builtin shell plugins against a fake shell: cpu-affinity, gpu-affinity, exit-on-error, exit-timeout.
using Flux.ShellPlugins.Builtins;

namespace Flux.Shell.Tests;

public sealed class BuiltinPluginTests
{
    [Fact]
    public void Share_MoreCoresThanTasks_SplitsThemWithTheRemainderFirst()
    {
        int[] cores = [0, 1, 2, 3, 4];
        Assert.Equal([0, 1, 2], CpuAffinity.Share(cores, 0, 2));
        Assert.Equal([3, 4], CpuAffinity.Share(cores, 1, 2));
        Assert.Equal([2], CpuAffinity.Share(cores, 7, 10));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("per-task")]
    [InlineData("map:0")]
    public async Task CpuAffinity_UsableCore_BindsTheTask(string mode)
    {
        using var h = new PluginHarness(new FakeShell(2, cores: "0")).With<CpuAffinity>("cpu-affinity");
        h.Shell.Options["cpu-affinity"] = mode;
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(1);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Equal([0], task.Cpus);
    }

    [Fact]
    public async Task CpuAffinity_EveryCoreTheShellMayUse_LeavesTheTaskUnbound()
    {
        // Binding to all of them changes nothing: the task is spawned without touching any affinity.
        var allowed = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
        using var h = new PluginHarness(new FakeShell(1, cores: allowed)).With<CpuAffinity>("cpu-affinity");
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(0);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Null(task.Cpus);
    }

    [Fact]
    public async Task CpuAffinity_CoresThisMachineDoesNotHave_LeavesTasksUnbound()
    {
        using var h = new PluginHarness(new FakeShell(1, cores: "0-4095")).With<CpuAffinity>("cpu-affinity");
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(0);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Null(task.Cpus);
    }

    [Fact]
    public async Task CpuAffinity_OffOrDryRun_BindsNothing()
    {
        using var h = new PluginHarness(new FakeShell(1, cores: "0")).With<CpuAffinity>("cpu-affinity");
        h.Shell.Options["cpu-affinity"] = "dry-run,on";
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(0);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Null(task.Cpus);
        Assert.Contains("cpu-affinity: task 0: cpus 0 (dry run)", h.Shell.Logged);
    }

    [Fact]
    public async Task CpuAffinity_BadValue_FailsShellInitWithTheReason()
    {
        using var h = new PluginHarness(new FakeShell(1)).With<CpuAffinity>("cpu-affinity");
        h.Shell.Options["cpu-affinity"] = "sometimes";
        Assert.Equal("cpu-affinity", await h.CallAsync("shell.init"));
        Assert.Equal(["cpu-affinity: shell.init: cpu-affinity: invalid option 'sometimes' (expected on, off, per-task or map:LIST)"], h.Reported);
    }

    [Fact]
    public async Task GpuAffinity_On_SetsTheJobsGpus()
    {
        using var h = new PluginHarness(new FakeShell(2, gpus: "0-1")).With<GpuAffinity>("gpu-affinity");
        Assert.Null(await h.CallAsync("shell.init"));
        Assert.Equal("0,1", h.Shell.GetEnv("CUDA_VISIBLE_DEVICES"));
        Assert.Equal("PCI_BUS_ID", h.Shell.GetEnv("CUDA_DEVICE_ORDER"));
    }

    [Fact]
    public async Task GpuAffinity_PerTask_GivesEachTaskItsShare()
    {
        using var h = new PluginHarness(new FakeShell(2, gpus: "0-3")).With<GpuAffinity>("gpu-affinity");
        h.Shell.Options["gpu-affinity"] = "per-task";
        Assert.Null(await h.CallAsync("shell.init"));
        var t0 = h.Task(0);
        Assert.Null(await h.CallAsync("task.init"));
        var t1 = h.Task(1);
        Assert.Null(await h.CallAsync("task.init"));
        Assert.Equal("0,1", t0.GetEnv("CUDA_VISIBLE_DEVICES"));
        Assert.Equal("2,3", t1.GetEnv("CUDA_VISIBLE_DEVICES"));
    }

    [Fact]
    public async Task GpuAffinity_NoGpusOrOff_SetsNothing()
    {
        using var none = new PluginHarness(new FakeShell(1)).With<GpuAffinity>("gpu-affinity");
        Assert.Null(await none.CallAsync("shell.init"));
        Assert.Null(none.Shell.GetEnv("CUDA_VISIBLE_DEVICES"));
        using var off = new PluginHarness(new FakeShell(1, gpus: "0")).With<GpuAffinity>("gpu-affinity");
        off.Shell.Options["gpu-affinity"] = "off";
        Assert.Null(await off.CallAsync("shell.init"));
        Assert.Null(off.Shell.GetEnv("CUDA_VISIBLE_DEVICES"));
    }

    [Fact]
    public async Task ExitOnError_TaskFails_ShellDiesNamingIt()
    {
        using var h = new PluginHarness(new FakeShell(2)).With<ExitOnError>("exit-on-error");
        h.Shell.Options["exit-on-error"] = 1;
        h.Task(1).Exited(3 << 8, 3);
        Assert.Null(await h.CallAsync("task.exit"));
        Assert.Equal((3, "exit-on-error: task 1 exited with exit code 3"), h.Shell.Died);
    }

    [Fact]
    public async Task ExitOnError_NotSetOrTaskSucceeds_ShellGoesOn()
    {
        using var h = new PluginHarness(new FakeShell(2)).With<ExitOnError>("exit-on-error");
        h.Task(0).Exited(3 << 8, 3);
        Assert.Null(await h.CallAsync("task.exit"));
        h.Shell.Options["exit-on-error"] = 1;
        h.Task(1).Exited(0, 0);
        Assert.Null(await h.CallAsync("task.exit"));
        Assert.Null(h.Shell.Died);
    }

    [Theory]
    [InlineData("none", 0.0)]
    [InlineData("30s", 30.0)]
    [InlineData("1.5m", 90.0)]
    [InlineData("soon", null)]
    [InlineData("-1", null)]
    public void ExitTimeout_Parse_FsdOrNone(string value, double? seconds) => Assert.Equal(seconds, ExitTimeout.Parse(value));

    [Fact]
    public async Task ExitTimeout_LastTaskExits_StartsNoTimer()
    {
        // The fake shell has no handle: a timer started here would throw.
        using var h = new PluginHarness(new FakeShell(1)).With<ExitTimeout>("exit-timeout");
        Assert.Null(await h.CallAsync("shell.init"));
        h.Task(0).Exited(0, 0);
        Assert.Null(await h.CallAsync("task.exit"));
        Assert.Empty(h.Reported);
    }

    [Fact]
    public async Task ExitTimeout_BadValue_FailsShellInit()
    {
        using var h = new PluginHarness(new FakeShell(1)).With<ExitTimeout>("exit-timeout");
        h.Shell.Options["exit-timeout"] = "soon";
        Assert.Equal("exit-timeout", await h.CallAsync("shell.init"));
    }
}
