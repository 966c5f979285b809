// The rlimit builtin: checks -o rlimit.NAME=VALUE, and runs a task through prlimit(1) only when a limit differs from the shell's.
using Flux.ShellPlugins.Builtins;

namespace Flux.Shell.Tests;

public sealed class RlimitPluginTests
{
    private static long SoftNofile => (long)Rlimit.ReadLimits()[7].Soft!.Value;

    [Fact]
    public async Task Rlimit_LowerSoftLimit_RunsTheTaskThroughPrlimit()
    {
        using var h = new PluginHarness(new FakeShell(1)).With<Rlimit>("rlimit");
        h.Shell.Options["rlimit"] = new System.Text.Json.Nodes.JsonObject { ["nofile"] = SoftNofile - 1 };
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(0);
        task.Argv = ["sh", "-c", "ulimit -n"];
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.EndsWith("prlimit", task.Argv[0], StringComparison.Ordinal);
        Assert.Equal([$"--nofile={SoftNofile - 1}:", "--", "sh", "-c", "ulimit -n"], task.Argv.Skip(1));
    }

    [Fact]
    public async Task Rlimit_SameAsTheShells_LeavesTheTaskAlone()
    {
        using var h = new PluginHarness(new FakeShell(1)).With<Rlimit>("rlimit");
        h.Shell.Options["rlimit"] = new System.Text.Json.Nodes.JsonObject { ["nofile"] = SoftNofile, ["ofile"] = SoftNofile };
        Assert.Null(await h.CallAsync("shell.init"));
        var task = h.Task(0);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Equal(["true"], task.Argv);
    }

    [Fact]
    public async Task Rlimit_AboveTheHardLimit_LoweredToItWithAWarning()
    {
        var hard = Rlimit.ReadLimits()[7].Hard;
        Assert.NotNull(hard); // RLIMIT_NOFILE always has a finite hard limit
        using var h = new PluginHarness(new FakeShell(1)).With<Rlimit>("rlimit");
        h.Shell.Options["rlimit"] = new System.Text.Json.Nodes.JsonObject { ["nofile"] = -1 };
        Assert.Null(await h.CallAsync("shell.init"));
        Assert.Contains("rlimit: nofile exceeds current max, lowering value to hard limit", h.Shell.Logged);
        var task = h.Task(0);
        Assert.Null(await h.CallAsync("task.exec"));
        Assert.Equal(hard == (ulong)SoftNofile ? "true" : $"--nofile={hard}:", task.Argv[hard == (ulong)SoftNofile ? 0 : 1]);
    }

    [Theory]
    [InlineData("nofiles", "1")]
    [InlineData("core", "\"big\"")]
    [InlineData("core", "-2")]
    public async Task Rlimit_BadNameOrValue_FailsShellInit(string name, string value)
    {
        using var h = new PluginHarness(new FakeShell(1)).With<Rlimit>("rlimit");
        h.Shell.Options["rlimit"] = new System.Text.Json.Nodes.JsonObject { [name] = System.Text.Json.Nodes.JsonNode.Parse(value) };
        Assert.Equal("rlimit", await h.CallAsync("shell.init"));
        Assert.Contains(h.Reported, r => r.Contains($"invalid shell option rlimit.{name}={value}", StringComparison.Ordinal));
    }
}
