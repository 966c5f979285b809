// Real jobs as a user runs them: flux run, flux submit + flux job attach, output, stdin, signals,
// time limits, cancel and exit codes (flux-shell(1)).
using System.Security.Cryptography;
using System.Text;

namespace Flux.EndToEnd.Tests;

public sealed class ExecEndToEndTests
{
    [Fact]
    public async Task Run_TaskRanksAndHostname_OnePerTask()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux run -n2 hostname && flux run -n2 --label-io sh -c 'echo $FLUX_TASK_RANK $FLUX_JOB_SIZE'");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l == Environment.MachineName));
        Assert.Contains("0: 0 2", lines);
        Assert.Contains("1: 1 2", lines);
    }

    [Fact]
    public async Task Run_FluxJobId_IsTheF58IdAsFluxCoresShellSetsIt()
    {
        // flux-core's shell gives tasks FLUX_JOB_ID in F58, ASCII 'f' when the job's environment asks for it.
        var r = await FluxProcess.RunAsync(["start", "sh", "-c",
            "id=$(flux submit --env=FLUX_F58_FORCE_ASCII=1 printenv FLUX_JOB_ID); flux job attach $id; flux job id --to=f58plain $id; "
            + "id=$(flux submit --env=-FLUX_F58_FORCE_ASCII printenv FLUX_JOB_ID); flux job attach $id; flux job id --to=f58 $id"],
            env: new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8", ["LC_CTYPE"] = "C.UTF-8" });
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("f", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[1], lines[0]);
        Assert.StartsWith("\u0192", lines[2], StringComparison.Ordinal);
        Assert.Equal(lines[3], lines[2]);
    }

    [Fact]
    public async Task Run_MoreTasksThanCores_InAPersonalInstance_Oversubscribes()
    {
        // The README's judged command on any machine: twice as many tasks as this machine has cores.
        var n = 2 * Environment.ProcessorCount;
        var r = await FluxProcess.RunAsync("start", "sh", "-c", $"flux run -n{n} sh -c 'echo $FLUX_TASK_RANK' && flux dmesg");
        Assert.True(r.ExitCode == 0, r.ToString());
        var ranks = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => int.TryParse(l, out _)).Select(int.Parse).Order();
        Assert.Equal(Enumerable.Range(0, n), ranks);
        Assert.Contains($"{n} slots of 1 core on {Environment.ProcessorCount} cores", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPty_OnATerminal_PutsTheLocalTerminalInRawModeAndRestoresIt()
    {
        // The job looks at the local terminal's flags while attached (polling until attach has switched
        // it, bounded), the shell checks them after the job, and flux run must not wait for a key
        // before exiting.
        const string job = """for i in $(seq 200); do f=$(stty -a -F "$OUTER"); case "$f" in *-icanon*) echo "$f" | grep -o -- "-isig" ; exit 0;; esac; sleep 0.05; done; exit 1""";
        var inner = $"OUTER=$(tty) flux run --pty --env=OUTER sh -c '{job}'; echo rc=$?; stty -a | grep -ow -- isig | sed s/^/restored-/";
        var r = await Terminal.StartOnATerminalAsync(inner);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("-isig", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rc=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("restored-isig", r.Stdout, StringComparison.Ordinal);
        // The application keypad mode .NET's console turns on is turned off again (rmkx after smkx).
        var on = r.Stdout.IndexOf("\u001b[?1h", StringComparison.Ordinal);
        Assert.True(on < 0 || r.Stdout.IndexOf("\u001b[?1l\u001b>", on, StringComparison.Ordinal) > on, r.Stdout);
    }

    [Fact]
    public async Task RunPty_TheJobsTerminalFollowsTheLocalWindowSize()
    {
        // The local terminal is 33x101 when flux run attaches: the job's pty gets that size. Then the
        // job resizes the local terminal (as a user dragging the window would): flux run gets SIGWINCH
        // and the job's pty follows. Each wait polls a bounded number of times.
        const string job = """
            w() { for i in $(seq 400); do s=$(stty size); [ "$s" = "$1" ] && break; sleep 0.05; done; echo "$2=$s"; }
            w "33 101" first; stty -F "$OUTER" rows 40 cols 120; w "40 120" second
            """;
        var inner = $"stty rows 33 cols 101; OUTER=$(tty) flux run --pty --env=OUTER sh -c '{job.ReplaceLineEndings("; ")}'; echo rc=$?";
        var r = await Terminal.StartOnATerminalAsync(inner);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("first=33 101", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("second=40 120", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rc=0", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExitCodes_AsFluxShell()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run false; echo rc=$?; flux run sh -c 'exit 3'; echo rc=$?; flux run sh -c 'kill -9 $$'; echo rc=$?; flux run no-such-command-xyz; echo rc=$?");
        Assert.Contains("rc=1\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rc=3\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rc=137\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rc=127\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("task 0: start failed: no-such-command-xyz: No such file or directory", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutputOrderPerTask_AndLargeOutputIntact()
    {
        // 10 MiB of deterministic text, plus bytes that are not UTF-8.
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run sh -c 'seq 1 20000' > seq.out && flux run sh -c 'yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ | head -c 10485760' | sha256sum && flux run printf '\\377\\376x\\n' | od -An -tx1");
        File.Delete(Path.Combine(FluxProcess.Root, "seq.out"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = new StringBuilder();
        while (expected.Length < 10485760)
        {
            expected.Append("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(expected.ToString(0, 10485760))));
        Assert.Contains(hash, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("ff fe 78 0a", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SequenceComesOutInOrder()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "run", "sh", "-c", "seq 1 20000");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Run_StdinPipedToTask()
    {
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", "flux run sh -c 'tr a-z A-Z'"], stdin: "hello through attach\n");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("HELLO THROUGH ATTACH\n", r.Stdout);
    }

    [Theory]
    [InlineData("process")]
    [InlineData("broker")]
    public async Task Run_TimeLimitEndsBeforeTheTasksStart_TheyStillGetTheTermSignal(string shellHost)
    {
        // A limit shorter than the shell's start (the first job also starts the shell host): the signal
        // that comes before the tasks exist is kept for them, not lost until kill-timeout's SIGKILL.
        var dir = TempDirs.Create("flux-e2e-limit-");
        try
        {
            var r = await FluxProcess.RunAsync("start", $"--config-path={ExecToml.Write(dir, shellHost, "kill-timeout = \"300s\"\n")}", "sh", "-c",
                "flux run -t 0.01s sleep 300; echo rc=$?");
            Assert.Contains("job.exception type=timeout", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("rc=143\n", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Run_OverTimeLimit_TimeoutExceptionAndKilled()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux run -t 1s sleep 300; echo rc=$?");
        Assert.Contains("job.exception type=timeout", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=143", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RunningJob_AttachSeesCancelAndExitCode()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "id=$(flux submit sleep 300) && flux job wait-event $id start >/dev/null && flux cancel $id && flux job attach $id; echo rc=$?");
        Assert.Contains("job.exception type=cancel", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=143", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitThenAttach_PrintsOutputAndStatus()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "id=$(flux submit sh -c 'echo out; echo err >&2; exit 5') && flux job attach $id; echo rc=$?; flux job status $id; echo status=$?");
        Assert.Contains("out\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("err\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=5", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("status=5", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_ToTemplateFile_AndPty()
    {
        var dir = TempDirs.Create("flux-e2e-out-");
        try
        {
            var r = await FluxProcess.RunAsync("start", "sh", "-c",
                $"flux run -n2 --cwd={dir} --output=out-{{{{taskid}}}}.txt sh -c 'echo task $FLUX_TASK_RANK' && flux run --pty sh -c 'test -t 1 && echo on-a-tty'");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("task 0\n", await File.ReadAllTextAsync(Path.Combine(dir, "out-0.txt")));
            Assert.Equal("task 1\n", await File.ReadAllTextAsync(Path.Combine(dir, "out-1.txt")));
            Assert.Contains("on-a-tty", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Run_ShellFailsAfterStartWasAnswered_JobEndsWithExceptionInsteadOfHanging()
    {
        // The output "file" is a directory: the job shell, running in job-exec's background after the
        // start request was accepted, fails opening it with an exception nobody expected. The job must
        // still end (exec exception, flux run exits), and the instance keep running jobs; timeout(1)
        // bounds the wait so that a job left hanging fails the test with rc=124.
        var dir = TempDirs.Create("flux-e2e-outdir-");
        try
        {
            var r = await FluxProcess.RunAsync("start", "sh", "-c", $"timeout 60 flux run --output={dir} true; echo rc=$?; flux run echo still-running");
            Assert.Contains("job.exception type=exec", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("rc=1\n", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("still-running\n", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Run_BadCwd_WarnsAndRunsInTmp()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "run", "--cwd=/nonexistent/dir", "pwd");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("/tmp\n", r.Stdout);
        Assert.Contains("Could not change dir to /nonexistent/dir", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Testexec_StillWorksBesideRealExecution()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run --setattr=system.exec.test.run_duration=0.1s true; echo rc=$?; flux submit --cc=1-20 --wait --quiet --setattr=system.exec.test.run_duration=10ms true; echo cc=$?; flux run echo real");
        Assert.Contains("rc=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("cc=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("real\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signal_BeforeTimeLimit_DeliveredToTasks()
    {
        // The signal comes 3 s after the start: time enough for sh to set its trap on a loaded machine.
        var r = await FluxProcess.RunAsync("start", "flux", "run", "-t", "6s", "--signal=USR1@3s",
            "sh", "-c", "trap 'echo got-usr1; exit 0' USR1; sleep 30 & wait");
        Assert.Contains("got-usr1", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecJobShell_RunsAnotherShellExecutable()
    {
        var dir = TempDirs.Create("flux-e2e-shell-");
        try
        {
            var shell = Path.Combine(dir, "myshell");
            Executables.Write(shell, "#!/bin/sh\necho \"custom shell for $1 in $FLUX_KVS_NAMESPACE\"\nexit 7\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "exec.toml"), $"[exec]\njob-shell = \"{shell}\"\n");
            // The shell's own output goes to the broker's log (the job's output is the shell's to write), its exit code is the job's.
            var r = await FluxProcess.RunAsync("start", $"--config-path={dir}", "sh", "-c", "flux run true; echo rc=$?; flux dmesg | grep 'custom shell'");
            Assert.Matches(@"custom shell for (\d+) in job-\1\n", r.Stdout);
            Assert.Contains("rc=7", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Cancel_TaskIgnoringSigterm_IsKilledAfterKillTimeout()
    {
        var dir = TempDirs.Create("flux-e2e-kill-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "exec.toml"), "[exec]\nkill-timeout = \"0.2s\"\n");
            var r = await FluxProcess.RunAsync("start", $"--config-path={dir}", "sh", "-c",
                "id=$(flux submit sh -c 'trap \"\" TERM; echo ready; sleep 300 & wait') && flux job wait-event $id start >/dev/null && flux cancel $id && flux job attach $id; echo rc=$?");
            Assert.Contains("rc=137", r.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task SubmitWatch_PrintsEveryJobsOutput()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "submit", "--cc=1-3", "--watch", "--quiet", "sh", "-c", "echo copy {cc}");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["copy 1", "copy 2", "copy 3"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
