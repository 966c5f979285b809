// An rc file is compiled once per version: a job after a change to the file runs the new text, and
// errors still name the file and line when its bytecode comes from the cache.
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class RcFileCacheTests
{
    private static FakeShellHost RunUserrc(string userrc)
    {
        var host = new FakeShellHost();
        host.Options["userrc"] = userrc;
        using var engine = new ShellRc(host, ShellRc.DefaultInitrc);
        engine.Run();
        return host;
    }

    [Fact]
    public void Userrc_RunTwice_SameResult_ThenChanged_RunsTheNewText()
    {
        string dir = TempDirs.Create("flux-rc-cache-");
        string userrc = Path.Combine(dir, "initrc.lua");
        File.WriteAllText(userrc, "shell.setenv ('RC_VALUE', 'one')");
        Assert.Equal("one", RunUserrc(userrc).Env["RC_VALUE"]);
        Assert.Equal("one", RunUserrc(userrc).Env["RC_VALUE"]);

        File.WriteAllText(userrc, "shell.setenv ('RC_VALUE', 'second')");
        Assert.Equal("second", RunUserrc(userrc).Env["RC_VALUE"]);

        // Same length, later modification time: still the new text.
        File.WriteAllText(userrc, "shell.setenv ('RC_VALUE', 'third!')");
        File.SetLastWriteTimeUtc(userrc, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("third!", RunUserrc(userrc).Env["RC_VALUE"]);
    }

    [Fact]
    public void Userrc_ErrorAfterCachedRun_StillNamesFileAndLine()
    {
        string dir = TempDirs.Create("flux-rc-cache-");
        string userrc = Path.Combine(dir, "initrc.lua");
        File.WriteAllText(userrc, "local n = 1\n\nif shell.getenv ('RC_FAIL') then shell.nosuch.call () end");
        RunUserrc(userrc);
        var host = new FakeShellHost();
        host.Env["RC_FAIL"] = "1";
        host.Options["userrc"] = userrc;
        using var engine = new ShellRc(host, ShellRc.DefaultInitrc);
        Assert.Throws<ShellRcException>(engine.Run);
        Assert.Contains(host.LogText, l => l.StartsWith($"ERROR: {userrc}:3: attempt to index a nil value", StringComparison.Ordinal));
    }
}
