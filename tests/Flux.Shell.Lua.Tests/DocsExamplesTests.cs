// Every ```lua example in docs/shell-initrc.md runs cleanly against the fake shell.
using System.Text.RegularExpressions;

namespace Flux.Shell.Lua.Tests;

public sealed partial class DocsExamplesTests
{
    [GeneratedRegex("```lua\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex LuaBlock();

    public static TheoryData<int> Examples()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Blocks().Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    private static List<string> Blocks() =>
        LuaBlock().Matches(File.ReadAllText(Path.Combine(Repo.Root, "docs", "shell-initrc.md"))).Select(m => m.Groups[1].Value).ToList();

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_RunsAgainstTheFakeShell(int index)
    {
        var host = new FakeShellHost { Verbose = 1 };
        using var run = RcRun.Ok(Blocks()[index], host);
        foreach (var topic in new[] { "shell.init", "task.init", "task.exit", "shell.exit" })
        {
            var task = topic.StartsWith("task", StringComparison.Ordinal) ? new FakeTask(host.Env) : null;
            task?.Info.Add("exitcode", 0);
            Assert.Empty(await host.CallAsync(topic, task));
        }
        Assert.DoesNotContain(host.Logs, l => l.Level <= Flux.Shell.Lua.ShellRcLogLevel.Error);
    }
}
