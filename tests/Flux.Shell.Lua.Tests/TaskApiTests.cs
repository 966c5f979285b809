// The task table of flux-shell-initrc(5): usable only inside task.* callbacks.
using System.Text.Json.Nodes;

namespace Flux.Shell.Lua.Tests;

public sealed class TaskApiTests
{
    [Fact]
    public void Task_OutsideTaskContext_Fails()
    {
        using var run = RcRun.Start("print (task.info)", name: "invalid-access.lua");
        Assert.Contains("attempt to access task outside of task context", run.Error?.Message);
        Assert.Contains("invalid-access.lua:1:", run.Error!.Message);
    }

    [Fact]
    public async Task Task_InTaskCallbacks_InfoAndEnvironment()
    {
        var host = new FakeShellHost();
        host.Env["TEST"] = "xxxyyyzzz";
        using var run = RcRun.Ok("""
            require 'fluxometer'
            plugin.register { name = "test", handlers = {
                { topic = "task.init", fn = function ()
                    is (task.info.localid, 0, "localid")
                    is (task.info.state, "Init", "state")
                    is (task.getenv ("TEST"), "xxxyyyzzz", "task.getenv sees the job environment")
                    ok (task.setenv ("FOO", "bar"), "task.setenv returns true")
                    is (task.getenv ("FOO"), "bar", "set")
                    task.setenv ("FOO", "baz", 0)
                    is (task.getenv ("FOO"), "bar", "overwrite 0 keeps it")
                    task.unsetenv ("TEST")
                    ok (not task.getenv ("TEST"), "unset")
                    task.setenv ("RANK", task.info.rank)
                end },
                { topic = "task.exit", fn = function ()
                    is (task.info.exitcode, 0, "exitcode at exit")
                    is (task.info.signaled, 0, "not signaled")
                    done_testing ()
                end },
            } }
            """, host);
        var task = new FakeTask(host.Env);
        Assert.Empty(await host.CallAsync("task.init", task));
        Assert.Equal("bar", task.Env["FOO"]);
        Assert.Equal("0", task.Env["RANK"]);
        Assert.False(task.Env.ContainsKey("TEST"));
        task.Info = new JsonObject { ["localid"] = 0, ["rank"] = 0, ["state"] = "Exited", ["exitcode"] = 0, ["signaled"] = 0, ["wait_status"] = 0 };
        Assert.Empty(await host.CallAsync("task.exit", task));
        run.AssertTapPassed(9);
    }
}
