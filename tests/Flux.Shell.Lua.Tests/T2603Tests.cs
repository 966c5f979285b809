// flux-core's t2603-job-shell-initrc.t cases that concern the initrc engine, against the fake shell.
// The scripts are flux-core's one-line cases; its tests/*.lua scripts are rewritten here (same checks,
// same Test.More calls) rather than copied. Cases that need a real shell, broker or C plugin are in
// docs/shell-initrc.md ("flux-core's t2603") with the reason.
namespace Flux.Shell.Lua.Tests;

public sealed class T2603Tests
{
    [Fact]
    public void ConfShellInitrc_ScriptLogs()
    {
        using var run = RcRun.Ok("shell.log(\"loaded test-initrc\")", name: "test-initrc.lua");
        Assert.Contains(run.Host.LogText, l => l.Contains("loaded test-initrc"));
    }

    [Fact]
    public void SearchpathFromBrokerAttr_IsVisible()
    {
        var host = new FakeShellHost { PluginSearchPath = "/test/foo" };
        using var run = RcRun.Ok("shell.log(\"plugin.searchpath = \"..plugin.searchpath)", host, "print-searchpath.lua");
        Assert.Contains(run.Host.LogText, l => l.Contains("plugin.searchpath = /test/foo"));
    }

    [Fact]
    public void JobspecInitrc_Prints()
    {
        using var run = RcRun.Ok("    print (\"jobspec initrc OK\")", name: "ok.lua");
        Assert.Contains("jobspec initrc OK", run.Host.Printed);
    }

    [Fact]
    public void FailedInitrc_SyntaxError_Terminates()
    {
        using var run = RcRun.Start("=\n", name: "failed.lua");
        Assert.Contains("unexpected symbol", run.Error?.Message);
        Assert.Contains(run.Host.LogText, l => l.Contains("failed.lua") && l.Contains("unexpected symbol"));
    }

    [Fact]
    public void EmptyInitrc_Works() => RcRun.Ok("").Dispose();

    [Fact]
    public void AccessTaskInNonTaskContext_Fails()
    {
        using var run = RcRun.Start("    print (task.info)", name: "invalid-access.lua");
        Assert.Contains("attempt to access task outside of task context", run.Error?.Message);
    }

    [Fact]
    public void BadRegister_Fails()
    {
        using var run = RcRun.Start("    plugin.register {}", name: "bad-register.lua");
        Assert.Contains("required handlers table missing", run.Error?.Message);
    }

    [Fact]
    public void HandlersNotArray_Fails()
    {
        using var run = RcRun.Start("""
                plugin.register {
                  handlers = {
                     topic = "*",
                     fn = function (topic) shell.log (topic) end
                  }
                }
            """, name: "handlers-not-array.lua");
        Assert.Contains("no entries", run.Error?.Message);
    }

    [Fact]
    public void AssignmentToShellMethod_Fails()
    {
        using var run = RcRun.Start("    shell.getenv = \"my data\"", name: "bad-assign.lua");
        Assert.Contains(" attempt to set read-only field", run.Error?.Message);
    }

    [Fact]
    public async Task ReturnFalseFromPlugin_FailsShellInit()
    {
        using var run = RcRun.Ok("""
                plugin.register {
                  name = "failed-return",
                  handlers = {
                    { topic="*", fn = function () return false end }
                  }
                }
            """, name: "failed-return.lua");
        Assert.Equal(["failed-return"], await run.Host.CallAsync("shell.init"));
    }

    [Fact]
    public void PluginPatternNomatch_NotFatal() => RcRun.Ok("plugin.load { file = \"nofile*.so\" }", name: "nomatch-noprob.lua").Dispose();

    [Fact]
    public void PluginNonpatternNomatch_Fatal()
    {
        using var run = RcRun.Start("plugin.load { file = \"nofile.so\" }", name: "nomatch-prob.lua");
        Assert.Contains("nofile.so: File not found", run.Error?.Message);
    }

    [Fact]
    public void ShellLogFunctions_Available()
    {
        using var run = RcRun.Ok("shell.log (\"test: shell.log\")\nshell.debug (\"test: debug\")\n\nshell.log_error (\"test: error\")\n", name: "shell.log.lua");
        Assert.Contains(run.Host.LogText, l => l.StartsWith("INFO: ", StringComparison.Ordinal) && l.EndsWith("shell.log.lua:1: test: shell.log", StringComparison.Ordinal));
        Assert.Contains(run.Host.LogText, l => l.StartsWith("DEBUG: ", StringComparison.Ordinal) && l.EndsWith("shell.log.lua:2: test: debug", StringComparison.Ordinal));
        Assert.Contains(run.Host.LogText, l => l.StartsWith("ERROR: ", StringComparison.Ordinal) && l.EndsWith("shell.log.lua:4: test: error", StringComparison.Ordinal));
    }

    [Fact]
    public void ShellDie_Works()
    {
        using var run = RcRun.Start("-- shell.die test\nshell.die (\"test: shell.die\")\n", name: "shell.die.lua");
        Assert.True(run.Error?.Died);
        Assert.Contains(run.Host.LogText, l => l.StartsWith("FATAL: ", StringComparison.Ordinal) && l.EndsWith("shell.die.lua:2: test: shell.die", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tests0000Basic_SourceRcpathSearchpath()
    {
        using var run = RcRun.Ok(Script("0000-basic.lua"), name: "0000-basic.lua");
        await run.Host.CallAsync("shell.exit");
        run.AssertTapPassed(7);
    }

    [Fact]
    public async Task Tests0001ShellInfo_InfoRankinfoVerboseTask()
    {
        var host = new FakeShellHost();
        host.Options["test"] = "test";
        using var run = RcRun.Ok(Script("0001-shell-info.lua"), host, "0001-shell-info.lua");
        foreach (var (topic, state) in new[] { ("task.init", "Init"), ("task.exec", "Exec"), ("task.fork", "Running"), ("task.exit", "Exited") })
        {
            var task = new FakeTask(host.Env);
            task.Info["state"] = state;
            if (state == "Running")
            {
                task.Info["pid"] = 4242;
            }
            if (state == "Exited")
            {
                task.Info["wait_status"] = 0;
                task.Info["exitcode"] = 0;
                task.Info["signaled"] = 0;
            }
            Assert.Empty(await host.CallAsync(topic, task));
        }
        await host.CallAsync("shell.exit");
        run.AssertTapPassed(30);
    }

    [Fact]
    public async Task Tests0002ShellEnv_JobAndTaskEnvironment()
    {
        using var run = RcRun.Ok(Script("0002-shell-env.lua"), name: "0002-shell-env.lua");
        var task = new FakeTask(run.Host.Env);
        Assert.Empty(await run.Host.CallAsync("task.init", task));
        Assert.Empty(await run.Host.CallAsync("task.exec", task));
        await run.Host.CallAsync("shell.exit");
        run.AssertTapPassed(12);
    }

    [Fact]
    public async Task Tests0003PluginOverride_ReplacedPluginNeverRuns()
    {
        using var run = RcRun.Ok(Script("0003-plugin-override.lua"), name: "0003-plugin-override.lua");
        foreach (var topic in new[] { "shell.init", "task.init", "task.exit", "shell.exit" })
        {
            await run.Host.CallAsync(topic, topic.StartsWith("task", StringComparison.Ordinal) ? new FakeTask([]) : null);
        }
        run.AssertTapPassed(7);
    }

    [Fact]
    public async Task Tests0004Getopt_OptionsReadAssignUnset()
    {
        var host = new FakeShellHost();
        host.Options["test"] = "test";
        using var run = RcRun.Ok(Script("0004-getopt.lua"), host, "0004-getopt.lua");
        await host.CallAsync("shell.exit");
        run.AssertTapPassed(4);
    }

    private static string Script(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Lua", "t2603", name));
}
