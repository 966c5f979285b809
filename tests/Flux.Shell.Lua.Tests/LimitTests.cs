// A runaway or memory-hungry script is stopped with an error naming its file, instead of hanging or exhausting the shell.
using System.Diagnostics;
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class LimitTests
{
    private static ShellRcOptions Short => RcRun.WithTestMore(TimeSpan.FromMilliseconds(300));

    [Theory]
    [InlineData("while true do end")]
    [InlineData("while true do pcall (function () while true do end end) end")]
    [InlineData("local co = coroutine.wrap (function () while true do end end)\nco ()")]
    [InlineData("while true do xpcall (function () while true do end end, function (e) while true do end end) end")]
    public void Run_EndlessLoop_StopsWithFileAndLine(string script)
    {
        var clock = Stopwatch.StartNew();
        using var run = RcRun.Start(script, name: "loop.lua", options: Short);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the loop was not stopped in time");
        Assert.NotNull(run.Error);
        Assert.Contains("loop.lua:", run.Error!.Message);
        Assert.Contains("time limit", run.Error.Message);
        Assert.Contains(run.Host.LogText, l => l.StartsWith("ERROR: ", StringComparison.Ordinal) && l.Contains("time limit"));
    }

    [Fact]
    public async Task Handler_EndlessLoop_FailsTheCallback_AndLaterCallsStillRun()
    {
        using var run = RcRun.Ok("""
            plugin.register { name = "spin", handlers = {
                { topic = "shell.init", fn = function () while true do end end },
                { topic = "shell.start", fn = function () return true end },
            } }
            """, options: Short);
        Assert.Equal(["spin"], await run.Host.CallAsync("shell.init"));
        Assert.Contains(run.Host.LogText, l => l.StartsWith("ERROR: lua plugin spin: ", StringComparison.Ordinal) && l.Contains("initrc.lua:2:") && l.Contains("time limit"));
        Assert.Empty(await run.Host.CallAsync("shell.start"));
    }

    [Fact]
    public void Run_HugeAllocation_FailsWithNotEnoughMemory()
    {
        var options = new ShellRcOptions { MemoryLimit = 16L * 1024 * 1024 };
        using var run = RcRun.Start("local s = string.rep ('x', 1024 * 1024 * 1024)", options: options);
        Assert.Contains("not enough memory", run.Error?.Message);
    }

    [Fact]
    public void Run_GrowingTable_FailsWithNotEnoughMemory()
    {
        var options = new ShellRcOptions { MemoryLimit = 16L * 1024 * 1024, TimeLimit = TimeSpan.FromSeconds(60) };
        using var run = RcRun.Start("local t = {}\nfor i = 1, 1e9 do t[i] = tostring (i) end", options: options);
        Assert.Contains("not enough memory", run.Error?.Message);
    }
}
