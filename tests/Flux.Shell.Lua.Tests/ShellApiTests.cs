// The shell table of flux-shell-initrc(5): info, rankinfo, options, verbose, environment, logging, die.
using System.Text.Json.Nodes;
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class ShellApiTests
{
    [Fact]
    public void Info_Read_GivesHostTablesWithIntegerJobid()
    {
        using var run = RcRun.Ok("""
            require 'fluxometer'
            local info = shell.info
            is (math.type (info.jobid), "integer", "jobid is an integer")
            is (info.jobid, 1234, "jobid")
            is (info.service, "1000-shell-1234", "service")
            type_ok (info.jobspec.attributes.system, "table", "jobspec")
            is (info.R.version, 1, "R")
            ok (info.options.standalone, "options")
            info.jobid = 5
            is (shell.info.jobid, 1234, "each read is a fresh copy")
            done_testing ()
            """);
        run.AssertTapPassed(7);
    }

    [Fact]
    public void Rankinfo_ThisShellAndByRank_Match()
    {
        using var run = RcRun.Ok("""
            require 'fluxometer'
            is (shell.rankinfo.broker_rank, 0, "broker_rank")
            is (shell.rankinfo.resources.cores, "0,1", "cores")
            is_deeply (shell.rankinfo, shell.get_rankinfo (0), "rankinfo equals get_rankinfo(0)")
            local none, err = shell.get_rankinfo (7)
            ok (none == nil and err ~= nil, "a rank outside the job gives nil and an error")
            done_testing ()
            """);
        run.AssertTapPassed(4);
    }

    [Fact]
    public void Options_GetSetRemove_GoThroughHost()
    {
        var host = new FakeShellHost();
        host.Options["test"] = "test";
        host.Options["cpu-affinity"] = "per-task";
        using var run = RcRun.Ok("""
            require 'fluxometer'
            is (shell.options.test, "test", "a string option")
            ok (shell.options.nosuchthing == nil, "a missing option is nil")
            shell.options.mpi = "openmpi@5"
            shell.options.conf = { a = 1, list = { "x", "y" } }
            shell.options["cpu-affinity"] = nil
            local v, ver = shell.getopt_with_version ("mpi")
            is (v, "openmpi", "getopt_with_version value")
            is (ver, "5", "getopt_with_version version")
            ok (shell.getopt_with_version ("nosuch") == nil, "getopt_with_version of an unset option")
            done_testing ()
            """, host);
        run.AssertTapPassed(5);
        Assert.Equal("openmpi@5", (string?)host.Options["mpi"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"list":["x","y"]}"""), host.Options["conf"]), host.Options["conf"]!.ToJsonString());
        Assert.False(host.Options.ContainsKey("cpu-affinity"));
    }

    [Fact]
    public void Verbose_ReadsAsBooleanAndAcceptsNumbersAndBooleans()
    {
        var host = new FakeShellHost { Verbose = 2 };
        using var run = RcRun.Ok("""
            require 'fluxometer'
            is (shell.verbose, true, "verbose 2 reads as true")
            shell.verbose = false
            is (shell.verbose, false, "false")
            shell.verbose = 1
            is (shell.verbose, true, "1")
            shell.verbose = 0
            is (shell.verbose, false, "0")
            error_like ('shell.verbose = "loud"', "invalid assignment to shell.verbose", "a string is refused")
            shell.verbose = 2
            done_testing ()
            """, host);
        run.AssertTapPassed(5);
        Assert.Equal(2, host.Verbose);
    }

    [Fact]
    public void Environment_SetenvGetenvUnsetenv_ChangeTheJobEnvironment()
    {
        var host = new FakeShellHost();
        host.Env["KEEP"] = "old";
        host.Env["OMPI_X"] = "1";
        host.Env["PMIX_Y"] = "2";
        using var run = RcRun.Ok("""
            require 'fluxometer'
            ok (shell.setenv ("FOO", "bar"), "setenv returns true")
            is (shell.getenv ("FOO"), "bar", "getenv")
            ok (shell.unsetenv ("FOO"), "unsetenv returns true")
            ok (shell.getenv ("FOO") == nil, "gone")
            shell.setenv ("KEEP", "new", 0)
            is (shell.getenv ("KEEP"), "old", "overwrite 0 keeps the value")
            shell.setenv ("KEEP", "new", true)
            is (shell.getenv ("KEEP"), "old", "a boolean counts as 0, as in flux-core")
            shell.setenv ("KEEP", "new", 1)
            is (shell.getenv ("KEEP"), "new", "overwrite 1")
            shell.setenv ("NUM", 42)
            is (shell.getenv ("NUM"), "42", "a number value becomes a string")
            local env = shell.getenv ()
            type_ok (env, "table", "getenv() is the whole environment")
            is (env.PATH, "/usr/bin:/bin", "with its values")
            shell.prepend_path ("PATH", "/opt/bin")
            shell.prepend_path ("PATH", "/usr/bin")
            shell.prepend_path ("NEWPATH", "/a")
            shell.env_strip ("^OMPI_", "^PMIX_")
            done_testing ()
            """, host);
        run.AssertTapPassed(10);
        Assert.Equal("/opt/bin:/usr/bin:/bin", host.Env["PATH"]);
        Assert.Equal("/a", host.Env["NEWPATH"]);
        Assert.False(host.Env.ContainsKey("OMPI_X"));
        Assert.False(host.Env.ContainsKey("PMIX_Y"));
    }

    [Fact]
    public void LogFunctions_NameFileAndLine_AsT2603Greps()
    {
        using var run = RcRun.Ok("shell.log (\"test: shell.log\")\nshell.debug (\"test: debug\")\n\nshell.log_error (\"test: error\")\n", name: "shell.log.lua");
        var text = run.Host.LogText.ToList();
        Assert.Contains(text, l => l.Contains("INFO: ") && l.EndsWith("shell.log.lua:1: test: shell.log", StringComparison.Ordinal));
        Assert.Contains(text, l => l.StartsWith("DEBUG: ", StringComparison.Ordinal) && l.EndsWith("shell.log.lua:2: test: debug", StringComparison.Ordinal));
        Assert.Contains(text, l => l.StartsWith("ERROR: ", StringComparison.Ordinal) && l.EndsWith("shell.log.lua:4: test: error", StringComparison.Ordinal));
    }

    [Fact]
    public void Die_LogsFatalWithFileAndLine_AndStopsTheScript()
    {
        using var run = RcRun.Start("-- shell.die test\nshell.die (\"test: shell.die\")\nprint (\"not reached\")\n", name: "shell.die.lua");
        Assert.NotNull(run.Error);
        Assert.True(run.Error!.Died);
        Assert.Contains(run.Host.LogText, l => l.StartsWith("FATAL: ", StringComparison.Ordinal) && l.EndsWith("shell.die.lua:2: test: shell.die", StringComparison.Ordinal));
        Assert.Single(run.Host.Died);
        Assert.Empty(run.Host.Printed);
    }

    [Fact]
    public void Die_InsidePcall_StillStopsTheScript()
    {
        using var run = RcRun.Start("pcall (shell.die, \"inside pcall\")\nprint (\"not reached\")\n");
        Assert.True(run.Error?.Died);
        Assert.Empty(run.Host.Printed);
    }

    [Fact]
    public void Fields_ScriptAddsAndOverwritesAllowedOnes_ReadOnlyOnesFail()
    {
        using var run = RcRun.Ok("""
            require 'fluxometer'
            shell.mydata = { foo = "bar" }
            type_ok (shell.mydata, "table", "a script may add fields")
            for _, f in ipairs { "info", "getenv", "setenv", "unsetenv", "rankinfo", "get_rankinfo" } do
                error_like ("shell." .. f .. " = 1", "attempt to set read%-only field shell%." .. f, f .. " is read-only")
            end
            shell.log = function () end
            shell.log ("replaced")
            pass ("shell.log can be overwritten, as in flux-core")
            done_testing ()
            """);
        run.AssertTapPassed(8);
        Assert.DoesNotContain(run.Host.LogText, l => l.Contains("replaced"));
    }

    [Fact]
    public void Print_GoesToTheHost()
    {
        using var run = RcRun.Ok("print (\"jobspec initrc OK\", 1, nil, true)");
        Assert.Equal(["jobspec initrc OK\t1\tnil\ttrue"], run.Host.Printed);
    }

    [Fact]
    public void Rcpath_IsTheFolderOfTheTopLevelFile()
    {
        using var run = RcRun.Ok("require 'fluxometer'\nis (shell.rcpath, debug.getinfo (1, 'S').source:sub (2):gsub ('/[^/]*$', ''), 'rcpath')\ndone_testing ()");
        run.AssertTapPassed(1);
    }
}
