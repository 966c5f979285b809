// The job shell out of the broker ([exec] shell-host = "process"): jobs run in a flux-shell host
// process, a host killed under a job fails only that job, and no host outlives its instance.
namespace Flux.EndToEnd.Tests;

public sealed class ShellHostEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-shellhost-");

    public ShellHostEndToEndTests() =>
        File.WriteAllText(Path.Combine(_dir, "exec.toml"), "[exec]\nshell-host = \"process\"\nkill-timeout = \"0.2s\"\n");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Run_InShellHost_OutputStdinExitCodesAndTimeLimit()
    {
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "flux run -n2 --label-io sh -c 'echo rank $FLUX_TASK_RANK; echo err >&2'; echo rc=$?; " +
            "flux run sh -c 'exit 3'; echo rc=$?; echo piped | flux run cat; " +
            "flux run -t 1s sleep 30; echo rc=$?; " +
            "flux run sh -c 'p=$(ps -o comm= -p $PPID); echo parent=$p'");
        Assert.Contains("0: rank 0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1: rank 1\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("0: err", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=0\nrc=3\npiped\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("resource allocation expired", r.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"rc=(137|143)\n", r.Stdout);
        // The tasks' parent is the shell host, not the broker.
        Assert.Contains("parent=flux-shell\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShellHost_KilledWithSigkillDuringAJob_ThatJobGetsAnExceptionAndTheNextJobRuns()
    {
        var pids = Path.Combine(_dir, "pids");
        var job = $"echo $PPID $$ > {pids}.tmp && mv {pids}.tmp {pids}; sleep 300";
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            $"id=$(flux submit sh -c '{job}') && flux job wait-event $id start >/dev/null && " +
            $"for i in $(seq 600); do [ -f {pids} ] && break; sleep 0.05; done; read host task < {pids}; " +
            "kill -9 $host; flux job attach $id; echo rc=$?; " +
            // Gone, or a zombie its new parent has not reaped yet: either way no longer running.
            "case \"$(ps -o stat= -p $task)\" in ''|Z*) echo task-gone;; *) echo task-alive;; esac; " +
            "flux run echo next-job; echo rc=$?; flux ping -c1 broker >/dev/null && echo broker-fine");
        Assert.Contains("job shell exited unexpectedly", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("task-gone\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("next-job\nrc=0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("broker-fine", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("rc=0\ntask", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("process")]
    [InlineData("broker")]
    public async Task Instance_EndsWithJobsRunning_TheirOutputIsSavedAndNothingIsReportedAsFailing(string shellHost)
    {
        // The jobs killed by job-exec's unload end as any job does, before the broker goes: output copied
        // into job.ID.guest, resources released; no "connection closed" or "exited unexpectedly" errors.
        var conf = ExecToml.Write(Path.Combine(_dir, shellHost), shellHost);
        var state = Path.Combine(_dir, "state-" + shellHost);
        Directory.CreateDirectory(state);
        var first = await FluxProcess.RunAsync("start", $"--config-path={conf}", $"-Sstatedir={state}", "sh", "-c",
            $"id=$(flux submit sh -c 'echo saved-output; sleep 300') && flux job wait-event -p output $id data >/dev/null && echo $id > {state}/id; flux submit sleep 300 >/dev/null");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.DoesNotContain("err[", first.Stderr, StringComparison.Ordinal);
        var second = await FluxProcess.RunAsync("start", $"--config-path={conf}", $"-Sstatedir={state}", "sh", "-c",
            $"flux job attach $(cat {state}/id); echo rc=$?");
        Assert.Contains("saved-output\n", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("job-exec is unloading", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_Ends_NoShellHostOrTaskIsLeftBehind()
    {
        var pids = Path.Combine(_dir, "pids");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            $"flux run true && id=$(flux submit sh -c 'echo $PPID $$ > {pids}.tmp && mv {pids}.tmp {pids}; sleep 300') && " +
            $"flux job wait-event $id start >/dev/null && for i in $(seq 600); do [ -f {pids} ] && break; sleep 0.05; done; echo submitted");
        Assert.True(r.ExitCode == 0, r.ToString());
        var fields = (await File.ReadAllTextAsync(pids)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.False(Directory.Exists($"/proc/{fields[0].Trim()}"), $"shell host {fields[0]} is still running after the instance ended");
        Assert.False(Directory.Exists($"/proc/{fields[1].Trim()}"), $"task {fields[1]} is still running after the instance ended");
    }

    [Fact]
    public async Task Instance_Starts_TheOwnersShellHostIsStartedBeforeTheFirstJobAndRunsIt()
    {
        // job-exec starts the owner's host once the broker is up (state run), side by side with the
        // initial program: it becomes the broker's child without any job (the program waits for it,
        // for up to 30 s), and the first job's tasks are its children.
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "i=0; while host=$(ps -o pid=,comm= --ppid $(flux getattr broker.pid) | awk '$2 == \"flux-shell\" {print $1}'); " +
            "[ -z \"$host\" ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.01; done; echo \"host=$host\"; flux jobs -a -n | wc -l; " +
            "flux run sh -c 'echo \"parent=$PPID\"'");
        Assert.True(r.ExitCode == 0, r.ToString());
        var host = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"host=(\d+)\n");
        Assert.True(host.Success, $"no flux-shell child of the broker before the first job: {r}");
        Assert.Contains($"host={host.Groups[1].Value}\n0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"parent={host.Groups[1].Value}\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_WithTestexec_StartsNoShellHost()
    {
        // Every job is simulated: no shell is needed, so none is started ahead of them.
        await File.WriteAllTextAsync(Path.Combine(_dir, "exec.toml"), "[exec]\nshell-host = \"process\"\n[exec.testexec]\nenable = true\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "flux run true; echo \"children=$(ps -o comm= --ppid $(flux getattr broker.pid) | grep -c flux-shell)\"");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("children=0\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ShellHostMisspelled_IsRefused()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "exec.toml"), "[exec]\nshell-host = \"proces\"\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("shell-host", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"process\"", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FluxShell_Help_NamesBothModes_StandaloneNeedsAnInstance()
    {
        var r = await FluxProcess.RunAsync(["--help"], exe: Path.Combine(FluxProcess.Bin, "flux-shell"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("flux-shell --host --service=NAME", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: flux-shell JOBID", r.Stderr, StringComparison.Ordinal);
        var standalone = await FluxProcess.RunAsync(["ƒ2abc"], env: new Dictionary<string, string> { ["FLUX_URI"] = $"local://{_dir}/no-such-socket" }, exe: Path.Combine(FluxProcess.Bin, "flux-shell"));
        Assert.Equal(1, standalone.ExitCode);
        Assert.Contains("flux-shell: cannot connect to local://", standalone.Stderr, StringComparison.Ordinal);
    }
}
