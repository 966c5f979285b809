// The plugin table, source and source_if_exists of flux-shell-initrc(5), and Lua handlers on the shell's stack.
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class PluginApiTests
{
    private static string PluginDir(params string[] files)
    {
        var dir = TempDirs.Create("flux-rc-plugins-");
        foreach (var f in files)
        {
            File.WriteAllText(Path.Combine(dir, f), "");
        }
        return dir;
    }

    [Fact]
    public void Load_GlobOnSearchPath_LoadsEveryMatchWithConf_LastFolderFirst()
    {
        string a = PluginDir("one.dll", "two.dll", "notes.txt"), b = PluginDir("three.dll");
        var host = new FakeShellHost { PluginSearchPath = a + ":" + b };
        using var run = RcRun.Ok("""plugin.load { file = "*.dll", conf = { keys = { "one", "two" }, one = "foo" } }""", host);
        Assert.Equal([Path.Combine(b, "three.dll"), Path.Combine(a, "one.dll"), Path.Combine(a, "two.dll")], host.Loaded.Select(l => l.Path));
        Assert.Equal("foo", (string?)host.Loaded[0].Conf["one"]);
        Assert.Equal(2, host.Loaded[0].Conf["keys"]!.AsArray().Count);
    }

    [Fact]
    public void Load_StringAbsoluteAndDotSlash_BypassSearchPath()
    {
        string dir = PluginDir("x.dll");
        var host = new FakeShellHost { PluginSearchPath = "/nonexistent" };
        using var run = RcRun.Ok($"plugin.load (\"{dir}/x.dll\")", host);
        Assert.Single(host.Loaded);
        Assert.Empty(host.Loaded[0].Conf);
    }

    [Fact]
    public void Load_UnmatchedGlob_IsFine()
    {
        using var run = RcRun.Ok("""plugin.load { file = "nofile*.so" }""");
        Assert.Empty(run.Host.Loaded);
    }

    [Fact]
    public void Load_MissingNonGlobFile_FailsWithFileNotFound()
    {
        using var run = RcRun.Start("""plugin.load { file = "nofile.so" }""");
        Assert.Contains("nofile.so: File not found", run.Error?.Message);
        Assert.Contains("initrc.lua:1:", run.Error!.Message);
    }

    [Fact]
    public void Load_BareNameMatchingNoFile_AsksTheHostForThatPluginName()
    {
        var host = new FakeShellHost { PluginSearchPath = PluginDir("other.dll") };
        using var run = RcRun.Ok("""plugin.load { file = "my-env", conf = { value = "hi" } }""", host);
        var (name, conf) = Assert.Single(host.Loaded);
        Assert.Equal("my-env", name);
        Assert.Equal("hi", (string?)conf["value"]);
    }

    [Fact]
    public void Load_BareNameTheHostCannotFind_FailsWithTheHostsReason()
    {
        var host = new FakeShellHost { PluginSearchPath = PluginDir() };
        host.FailingPlugins["nosuch"] = "nosuch: No such plugin found (no shell plugin named 'nosuch' in /x)";
        using var run = RcRun.Start("""plugin.load ("nosuch")""", host);
        Assert.Contains("plugin.load: nosuch: nosuch: No such plugin found", run.Error?.Message);
    }

    [Fact]
    public void Load_BadArgument_FailsAsInvalidArgument()
    {
        using var run = RcRun.Start("plugin.load (true)");
        Assert.Contains("plugin.load: invalid argument", run.Error?.Message);
    }

    [Fact]
    public void Load_PluginInitFails_FailsTheScriptWithPattern()
    {
        string dir = PluginDir("dummy.dll");
        var host = new FakeShellHost { PluginSearchPath = dir };
        host.FailingPlugins["dummy.dll"] = "dummy: OK result=-1";
        using var run = RcRun.Start("""plugin.load { file = "dummy.dll", conf = { result = -1 } }""", host);
        Assert.Contains("plugin.load: dummy.dll: dummy: OK result=-1", run.Error?.Message);
    }

    [Fact]
    public void Searchpath_ReadWrite_OtherKeysRefused()
    {
        var host = new FakeShellHost { PluginSearchPath = "/test/foo" };
        using var run = RcRun.Ok("""
            require 'fluxometer'
            is (plugin.searchpath, "/test/foo", "from the host (conf.shell_pluginpath)")
            local saved = plugin.searchpath
            lives_ok ('plugin.searchpath = plugin.searchpath .. ":/tmp/foo"', "assignable")
            is (plugin.searchpath, "/test/foo:/tmp/foo", "assigned")
            plugin.searchpath = saved
            error_like ('plugin.foo = 1', "invalid plugin method foo called", "other keys refused")
            done_testing ()
            """, host);
        run.AssertTapPassed(4);
        Assert.Equal("/test/foo", host.PluginSearchPath);
    }

    [Fact]
    public async Task Register_HandlersRunOnMatchingTopics_FalseFailsTheCallback()
    {
        using var run = RcRun.Ok("""
            seen = {}
            plugin.register { name = "a", handlers = {
                { topic = "shell.*", fn = function (topic) seen[#seen + 1] = topic end },
            } }
            plugin.register { name = "b", handlers = {
                { topic = "task.init", fn = function () return false end },
                { topic = "task.exit", fn = function () return nil end },
                { topic = "shell.init", fn = function () return true end },
            } }
            """);
        var host = run.Host;
        Assert.Equal(["a", "b"], host.Plugins.Select(p => p.Name));
        Assert.Empty(await host.CallAsync("shell.init"));
        Assert.Equal(["b"], await host.CallAsync("task.init", new FakeTask([])));
        Assert.Equal(["b"], await host.CallAsync("task.exit", new FakeTask([])));
        Assert.Empty(await host.CallAsync("shell.post-init"));
    }

    [Fact]
    public async Task Register_SameName_ReplacesAndMovesToEnd()
    {
        using var run = RcRun.Ok("""
            plugin.register { name = "test", handlers = { { topic = "*", fn = function () return false end } } }
            plugin.register { name = "other", handlers = { { topic = "*", fn = function () end } } }
            plugin.register { name = "test", handlers = { { topic = "shell.*", fn = function () end } } }
            """);
        Assert.Equal(["other", "test"], run.Host.Plugins.Select(p => p.Name));
        Assert.Empty(await run.Host.CallAsync("shell.init"));
    }

    [Fact]
    public void Register_WithoutName_IsNamedAfterTheFile()
    {
        using var run = RcRun.Ok("plugin.register { handlers = { { topic = \"*\", fn = function () end } } }");
        Assert.Equal(run.File, run.Host.Plugins.Single().Name);
    }

    [Theory]
    [InlineData("plugin.register (1)", "plugin.create requires table argument")]
    [InlineData("plugin.register {}", "required handlers table missing")]
    [InlineData("plugin.register { handlers = { topic = \"*\", fn = function (topic) shell.log (topic) end } }",
        "plugin.register: handlers table exists but has no entries. (not an array?)")]
    [InlineData("plugin.register { handlers = { { fn = print } } }", "Missing or invalid 'topic' in handler entry")]
    [InlineData("plugin.register { handlers = { { topic = \"*\" } } }", "Missing or invalid 'fn' in handler entry")]
    public void Register_BadArguments_FailWithFluxCoreMessages(string script, string message)
    {
        using var run = RcRun.Start(script);
        Assert.Contains(message, run.Error?.Message);
        Assert.StartsWith(run.File + ":1: ", run.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_RaisesError_IsLoggedWithPluginFileAndLine()
    {
        using var run = RcRun.Ok("plugin.register { name = \"bad\", handlers = { { topic = \"shell.init\", fn = function ()\n  local x = nil\n  return x.field\nend } } }", name: "bad.lua");
        Assert.Equal(["bad"], await run.Host.CallAsync("shell.init"));
        Assert.Contains(run.Host.LogText, l => l.StartsWith("ERROR: lua plugin bad: ", StringComparison.Ordinal) && l.Contains("bad.lua:3: attempt to index a nil value"));
    }

    [Fact]
    public void Source_GlobRunsEachFileInOrder_NonGlobMissingFails_IfExistsSkips()
    {
        var dir = TempDirs.Create("flux-rc-src-");
        File.WriteAllText(Path.Combine(dir, "b.lua"), "order = (order or '') .. 'b'");
        File.WriteAllText(Path.Combine(dir, "a.lua"), "order = (order or '') .. 'a'");
        using var run = RcRun.Ok($$"""
            require 'fluxometer'
            source "{{dir}}/*.lua"
            is (order, "ab", "sourced in sorted order")
            error_like ('source "foo"', "source foo: No such file or directory", "non-pattern missing file fails")
            lives_ok ('source "/nosuchdir/*.lua"', "unmatched pattern is fine")
            lives_ok ('source_if_exists "foo"', "source_if_exists skips a missing file")
            source_if_exists "{{dir}}/a.lua"
            is (order, "aba", "source_if_exists runs an existing file")
            done_testing ()
            """);
        run.AssertTapPassed(5);
    }

    [Fact]
    public void Source_FileWithError_LogsItAndFailsTheSource()
    {
        var dir = TempDirs.Create("flux-rc-src-");
        File.WriteAllText(Path.Combine(dir, "broken.lua"), "\n\nerror ('boom')");
        using var run = RcRun.Start($"source \"{dir}/broken.lua\"");
        Assert.Contains(run.Host.LogText, l => l == $"ERROR: {dir}/broken.lua:3: boom");
        Assert.Contains($"source {dir}/broken.lua failed", run.Error?.Message);
    }
}
