// flux-shell --reconnect: with the shell out of the broker ([exec] shell-host = "process") a job's
// shell host survives a broker killed with SIGKILL, reconnects to the broker started next on the
// same statedir, and the restarted job-exec takes the job over; or, if no broker comes back in
// time, kills its tasks and exits, and the restarted job-exec raises an exception on the job.
using System.Diagnostics;

namespace Flux.EndToEnd.Tests;

public sealed class ShellReconnectEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-reconnect-");
    private readonly List<int> _leftovers = [];

    private string StateDir => Path.Combine(_dir, "state");

    private string ConfDir => Path.Combine(_dir, "conf");

    public void Dispose()
    {
        // The shell host and the task are not children of the test's processes: end them if a test failed.
        foreach (var pid in _leftovers)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task BrokerKilled_NextBrokerOnTheStatedir_ShellHostReconnectsAndTheJobFinishesWithItsOutput()
    {
        var (go, ready) = Setup("");
        var (host, task, id) = await StartJobAsync(go, ready, async inst =>
        {
            Process.GetProcessById(inst.BrokerPid).Kill();
            await Await.Within(inst.Process.WaitForExitAsync(), "flux start to exit after its broker was killed");
        });
        Assert.True(Alive(host), "the shell host died with its broker");
        Assert.True(Alive(task), "the job's task died with the broker");

        await using var second = await RunningInstance.StartAsync(StartArgs);
        // The task is blocked opening the fifo: writing to it lets the job finish, under the new broker.
        await Await.Within(File.WriteAllTextAsync(go, "go\n"), "the job's task to open its fifo");
        var attach = await Await.Within(second.FluxAsync("job", "attach", id), "flux job attach under the restarted broker");
        Assert.True(attach.ExitCode == 0, attach.ToString());
        Assert.Equal("before\nafter go\n", attach.Stdout);

        var eventlog = await second.FluxAsync("job", "eventlog", id);
        Assert.Contains("finish status=0", eventlog.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("exception", eventlog.Stdout, StringComparison.Ordinal);
        var exec = await second.FluxAsync("job", "eventlog", "-p", "exec", id);
        Assert.Contains("reattach", exec.Stdout, StringComparison.Ordinal);
        Assert.Contains("re-starting", exec.Stdout, StringComparison.Ordinal);
        Assert.Contains("complete status=0", exec.Stdout, StringComparison.Ordinal);
        var dmesg = await second.FluxAsync("dmesg");
        Assert.Contains("broker: reconnected", dmesg.Stdout, StringComparison.Ordinal);

        // A clean shutdown of the new instance ends the returned host too, as it ends the hosts it starts.
        var (rc, stderr) = await second.StopAsync();
        Assert.True(rc == 0, stderr);
        await Await.Within(GoneAsync(host), $"the returned shell host {host} to exit at the instance's shutdown");
    }

    [Fact]
    public async Task BrokerKilled_NoBrokerWithinTheTimeout_HostKillsItsTasksAndTheNextBrokerRaisesAnException()
    {
        var (go, ready) = Setup("shell-reconnect-timeout = \"2s\"\n");
        var (host, task, id) = await StartJobAsync(go, ready, async inst =>
        {
            Process.GetProcessById(inst.BrokerPid).Kill();
            await Await.Within(inst.Process.WaitForExitAsync(), "flux start to exit after its broker was killed");
        });
        await Await.Within(GoneAsync(host), "the shell host to give up reconnecting after 2s and exit");
        await Await.Within(GoneAsync(task), "the shell host to kill its task as it gives up");

        await using var second = await RunningInstance.StartAsync(StartArgs);
        // job-exec waits [exec] shell-reconnect-timeout for a host that claims the job, then raises.
        var attach = await Await.Within(second.FluxAsync("job", "attach", id), "flux job attach to end with the job's exception");
        Assert.NotEqual(0, attach.ExitCode);
        Assert.Contains("job shell did not reconnect within 2s", attach.Stderr, StringComparison.Ordinal);
        var eventlog = await second.FluxAsync("job", "eventlog", id);
        Assert.Contains("exception", eventlog.Stdout, StringComparison.Ordinal);
        Assert.Contains("clean", eventlog.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerMode_BrokerKilled_TheJobGetsAnExceptionAtTheRestart()
    {
        var (go, ready) = Setup("", shellHost: "broker");
        var (_, _, id) = await StartJobAsync(go, ready, async inst =>
        {
            Process.GetProcessById(inst.BrokerPid).Kill();
            await Await.Within(inst.Process.WaitForExitAsync(), "flux start to exit after its broker was killed");
        });
        await using var second = await RunningInstance.StartAsync(StartArgs);
        var attach = await Await.Within(second.FluxAsync("job", "attach", id), "flux job attach to end with the job's exception");
        Assert.NotEqual(0, attach.ExitCode);
        Assert.Contains("the instance restarted while the job was running", attach.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanShutdown_HostAndTasksAreKilled_AsWithoutReconnect()
    {
        var (go, ready) = Setup("");
        var (host, task, _) = await StartJobAsync(go, ready, async inst =>
        {
            var (rc, stderr) = await inst.StopAsync();
            Assert.True(rc == 0, stderr);
        });
        await Await.Within(GoneAsync(host), "the shell host to be stopped at the instance's clean shutdown");
        await Await.Within(GoneAsync(task), "the task to be killed at the instance's clean shutdown");
    }

    [Fact]
    public async Task FluxShell_Reconnect_DocumentedForTheHost_RefusedForAStandaloneShell()
    {
        var exe = Path.Combine(FluxProcess.Bin, "flux-shell");
        var help = await FluxProcess.RunAsync(["--help"], exe: exe);
        Assert.Contains("--reconnect ", help.Stderr, StringComparison.Ordinal);
        Assert.Contains("--reconnect-timeout=FSD", help.Stderr, StringComparison.Ordinal);
        var standalone = await FluxProcess.RunAsync(["--reconnect", "ƒ2abc"], exe: exe);
        Assert.Equal(1, standalone.ExitCode);
        Assert.Contains("--reconnect applies to the shell host (--host) only", standalone.Stderr, StringComparison.Ordinal);
        var bad = await FluxProcess.RunAsync(["--host", "--service=1-x", "--reconnect", "--reconnect-timeout=soon"], exe: exe);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--reconnect-timeout: expected a duration", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ReconnectTimeoutNotADuration_IsRefused()
    {
        Directory.CreateDirectory(ConfDir);
        await File.WriteAllTextAsync(Path.Combine(ConfDir, "exec.toml"), "[exec]\nshell-host = \"process\"\nshell-reconnect-timeout = \"0s\"\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={ConfDir}", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("shell-reconnect-timeout", r.Stderr, StringComparison.Ordinal);
    }

    private string[] StartArgs => ["-S", $"statedir={StateDir}", $"--config-path={ConfDir}"];

    /// <summary>The config (<paramref name="shellHost"/> mode and <paramref name="exec"/>), and two fifos: the job waits on the first, tells its pids on the second.</summary>
    private (string Go, string Ready) Setup(string exec, string shellHost = "process")
    {
        ExecToml.Write(ConfDir, shellHost, exec);
        var go = Path.Combine(_dir, "go");
        var ready = Path.Combine(_dir, "ready");
        using var mkfifo = Process.Start("mkfifo", [go, ready]);
        Assert.True(mkfifo.WaitForExit(TimeSpan.FromSeconds(30)) && mkfifo.ExitCode == 0, "mkfifo failed");
        return (go, ready);
    }

    /// <summary>
    /// Starts an instance, submits a job that prints "before", tells its shell host's and its own pid
    /// through <paramref name="ready"/>, then waits for a line on <paramref name="go"/>; ends the
    /// instance with <paramref name="end"/> while the job waits.
    /// </summary>
    private async Task<(int Host, int Task, string Id)> StartJobAsync(string go, string ready, Func<RunningInstance, Task> end)
    {
        await using var first = await RunningInstance.StartAsync(StartArgs);
        var submit = await first.FluxAsync("submit", "sh", "-c", $"echo before; echo $PPID $$ > {ready}; read line < {go}; echo after $line");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var id = submit.Stdout.Trim();
        var pids = (await Await.Within(File.ReadAllTextAsync(ready), "the job to start and tell its pids")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var host = int.Parse(pids[0], System.Globalization.CultureInfo.InvariantCulture);
        var task = int.Parse(pids[1], System.Globalization.CultureInfo.InvariantCulture);
        _leftovers.Add(host);
        _leftovers.Add(task);
        // "before" is in the output eventlog before the broker goes.
        var output = await first.FluxAsync("job", "wait-event", "-p", "output", "-t", "30", id, "data");
        Assert.True(output.ExitCode == 0, output.ToString());
        await end(first);
        return (host, task, id);
    }

    /// <summary>Running, not gone nor a zombie (the state follows the command name in parentheses in /proc/PID/stat).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Completes when the process has gone (or is a zombie): not a child of the test, so it can only be watched.</summary>
    private static async Task GoneAsync(int pid)
    {
        while (Alive(pid))
        {
            await Task.Delay(50);
        }
    }
}
