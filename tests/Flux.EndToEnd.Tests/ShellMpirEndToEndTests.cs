// The mpir builtin and -o stop-tasks-in-exec end to end: tasks stopped in the exec of their program, the
// shell's proctable service, and flux job attach --debug / --debug-emulate continuing them.
using System.Text.RegularExpressions;

namespace Flux.EndToEnd.Tests;

public sealed partial class ShellMpirEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-mpir-");

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A copy of sleep under a name of this test's own, so ps finds only this job's tasks.</summary>
    private string TaskProgram()
    {
        return Executables.Copy("/bin/sleep", Path.Combine(_dir, "mpir-task"));
    }

    /// <summary>A config folder choosing where the job shells run: inside the broker, or in flux-shell --host.</summary>
    private string Config(string shellHost) => ExecToml.Write(Path.Combine(_dir, "conf"), shellHost);

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task StopTasksInExec_TasksStoppedInTheirProgram_ProctableHasTheirPids_AttachDebugContinuesThem(string shellHost)
    {
        var prog = TaskProgram();
        var r = await FluxProcess.RunAsync("start", $"--config-path={Config(shellHost)}", "sh", "-c",
            $"id=$(flux submit -n2 -o stop-tasks-in-exec {prog} 0) && flux job wait-event -W -p exec -f json $id shell.start && " +
            $"for p in $(pgrep -f '^{prog} '); do echo \"task: $p $(cut -d' ' -f3 /proc/$p/stat) $(cat /proc/$p/comm)\"; done && " +
            "flux job attach --debug $id; echo attach=$? && flux job wait-event $id clean >/dev/null && flux job status $id; echo status=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        // As flux-core's ptrace builtin: shell.start says every task is stopped in exec.
        Assert.Contains("\"sync\":true", r.Stdout, StringComparison.Ordinal);
        var stopped = PsLine().Matches(r.Stdout).Select(m => (Pid: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), State: m.Groups[2].Value, Comm: m.Groups[3].Value)).ToList();
        Assert.True(stopped.Count == 2, r.ToString());
        // Stopped (T) on the program itself, not in the shell that executed it.
        Assert.All(stopped, p => Assert.StartsWith("T", p.State, StringComparison.Ordinal));
        Assert.All(stopped, p => Assert.Equal("mpir-task", p.Comm));
        var table = ProcTableLine().Matches(r.Stderr).Select(m => (Task: m.Groups[1].Value, Host: m.Groups[2].Value, Exe: m.Groups[3].Value, Pid: int.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.True(table.Count == 2, r.ToString());
        Assert.Equal(["0", "1"], table.Select(t => t.Task));
        Assert.Equal(stopped.Select(p => p.Pid).Order(), table.Select(t => t.Pid).Order());
        Assert.All(table, t => Assert.Equal(prog, t.Exe));
        Assert.All(table, t => Assert.Equal(System.Net.Dns.GetHostName(), t.Host));
        // Continued by attach (SIGCONT), the tasks ran to completion.
        Assert.Contains("attach=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("status=0", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachDebugEmulate_ContinuesTheJob_RefusesAFinishedOne_SigcontAloneUnlocksIt()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "id=$(flux submit -n2 -o stop-tasks-in-exec echo hello) && flux job wait-event $id start && " +
            "flux job attach --debug-emulate $id; echo rc=$?; " +
            "flux job attach --debug-emulate $id; echo finished=$?; " +
            "id=$(flux submit -o stop-tasks-in-exec=1 sh -c 'echo unlocked') && flux job wait-event -W -p exec $id shell.start >/dev/null && " +
            "flux job kill -s SIGCONT $id && flux job attach $id; echo kill=$?; " +
            "flux run -o stop-tasks-in-exec=yes true; echo bad=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("hello\nhello\nrc=0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, ProcTableLine().Count(r.Stderr));
        Assert.Contains("cannot debug job that has finished running", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("finished=1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("unlocked\nkill=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("-o stop-tasks-in-exec: expected true, false or an integer", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad=1", r.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^task: (\d+) (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PsLine();

    [GeneratedRegex(@"^MPIR_proctable\[(\d+)\]: host=(\S+) executable=(\S+) pid=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex ProcTableLine();
}
