// Item 5 of issue 15: a script cannot start a process, open a file or reach the engine through any escape.
namespace Flux.Shell.Lua.Tests;

public sealed class SandboxTests
{
    /// <summary>Each escape must fail inside the script; a marker file proves that none ran a command.</summary>
    [Theory]
    [InlineData("luanet.import_type ('System.Diagnostics.Process')")]
    [InlineData("import_type ('System.Diagnostics.Process')")]
    [InlineData("os.execute ('touch MARK')")]
    [InlineData("os.remove ('MARK')")]
    [InlineData("os.exit (3)")]
    [InlineData("os.getenv ('HOME'):len ()")]
    [InlineData("io.popen ('touch MARK')")]
    [InlineData("io.open ('MARK', 'w')")]
    [InlineData("io.write ('x')")]
    [InlineData("require ('os').execute ('touch MARK')")]
    [InlineData("require ('io').open ('MARK', 'w')")]
    [InlineData("require ('posix')")]
    [InlineData("package.loadlib ('libc.so.6', 'system')")]
    [InlineData("loadfile ('/etc/passwd')")]
    [InlineData("dofile ('/etc/passwd')")]
    [InlineData("assert (load (string.dump (function () end)))")]
    [InlineData("assert (load ('\\27Lua', 'x', 'b'))")]
    [InlineData("debug.getregistry ()")]
    [InlineData("debug.sethook ()")]
    [InlineData("debug.getupvalue (source, 1)")]
    [InlineData("debug.setmetatable ('', {})")]
    [InlineData("collectgarbage ('stop')")]
    [InlineData("setmetatable ({}, { __gc = function () os.execute ('touch MARK') end })")]
    [InlineData("getmetatable (shell).__index = nil")]
    [InlineData("setmetatable (shell, {})")]
    public void Escape_Attempt_FailsInsideTheScript(string attempt)
    {
        var dir = TempDirs.Create("flux-rc-sandbox-");
        string marker = Path.Combine(dir, "MARK");
        File.WriteAllText(marker, "keep");
        string script = $"""
            require 'fluxometer'
            local ok, err = pcall (function () {attempt.Replace("MARK", marker, StringComparison.Ordinal)} end)
            is (ok, false, "refused")
            diag (err)
            done_testing ()
            """;
        using var run = RcRun.Start(script);
        Assert.Null(run.Error);
        run.AssertTapPassed(1);
        Assert.Equal("keep", File.ReadAllText(marker));
    }

    [Fact]
    public void Globals_OnlySafeLibrariesRemain()
    {
        using var run = RcRun.Ok("""
            require 'fluxometer'
            for _, name in ipairs { "io", "package", "luanet", "dofile", "loadfile", "collectgarbage", "import_type" } do
                ok (_G[name] == nil, name .. " is absent")
            end
            local os_keys = {}
            for k in pairs (os) do os_keys[#os_keys + 1] = k end
            table.sort (os_keys)
            is (table.concat (os_keys, ","), "clock,date,difftime,time", "os keeps only clocks and dates")
            local debug_keys = {}
            for k in pairs (debug) do debug_keys[#debug_keys + 1] = k end
            table.sort (debug_keys)
            is (table.concat (debug_keys, ","), "getinfo,traceback", "debug keeps traceback and getinfo")
            ok (string.dump == nil and ("").dump == nil, "string.dump is absent")
            type_ok (debug.traceback (), "string", "debug.traceback works")
            type_ok (os.time (), "number", "os.time works")
            is (load ("return 1 + 1") (), 2, "load of source text works")
            is (coroutine.wrap (function () coroutine.yield (5) end) (), 5, "coroutines work")
            done_testing ()
            """);
        run.AssertTapPassed(14);
    }

    [Fact]
    public void Values_OnlyPlainLuaTypesReachScripts()
    {
        using var run = RcRun.Ok("""
            require 'fluxometer'
            local function plain (v, depth)
                local t = type (v)
                if t == "table" then
                    if getmetatable (v) ~= nil then return false end
                    for k, x in pairs (v) do
                        if not plain (k) or not plain (x) then return false end
                    end
                    return true
                end
                return t == "string" or t == "number" or t == "boolean"
            end
            ok (plain (shell.info), "shell.info holds plain values only")
            ok (plain (shell.rankinfo), "shell.rankinfo too")
            ok (plain (shell.getenv ()), "shell.getenv () too")
            for _, f in ipairs { shell.getenv, shell.setenv, plugin.load, plugin.register, source } do
                is (debug.getinfo (f, "S").what, "Lua", "API functions are Lua closures, not CLR objects")
            end
            done_testing ()
            """);
        run.AssertTapPassed(8);
    }
}
