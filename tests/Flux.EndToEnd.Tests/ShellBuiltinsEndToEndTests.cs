// The job shell's remaining builtins end to end: rlimit, taskmap, labelled file output and batching,
// and flux-shell JOBID run as [exec] job-shell (its own events and output, no duplicates).
namespace Flux.EndToEnd.Tests;

public sealed class ShellBuiltinsEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-shellbuiltins-");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Rlimit_SetoptAndRule_TaskSeesTheLimit()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run -o rlimit.nofile=128 sh -c 'ulimit -n'; flux run --rlimit=core=0 sh -c 'ulimit -c'; " +
            "flux run -o rlimit.nofiles=1 true; echo rc=$?");
        Assert.Contains("128\n0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("-o rlimit.nofiles: unknown limit", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=1", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taskmap_CyclicAndManual_InShellStartAndChecked()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "id=$(flux submit -n4 --taskmap=cyclic:2 true) && flux job wait-event -W -p exec -f json $id shell.start; " +
            "flux run -n2 --taskmap='manual:[[0,1,1,1]]' true; echo rc=$?");
        Assert.Contains("\"taskmap\":{\"version\":1,\"map\":[[0,1,4,1]]}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("does not match the job's tasks per node", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=1", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelIo_FileOutput_EachLinePrefixedWithItsRank()
    {
        var output = Path.Combine(_dir, "out.{{taskid}}");
        var r = await FluxProcess.RunAsync("start", "flux", "run", "-n2", "-l", "-u", $"--output={output}", "sh", "-c", "printf 'a\\nb\\n'");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("0: a\n0: b\n", await File.ReadAllTextAsync(Path.Combine(_dir, "out.0")));
        Assert.Equal("1: a\n1: b\n", await File.ReadAllTextAsync(Path.Combine(_dir, "out.1")));
    }

    [Fact]
    public async Task ExecJobShell_FluxShell_RunsTheJobOnceWithItsEventsAndOutput()
    {
        var shell = Path.Combine(FluxProcess.Bin, "flux-shell");
        await File.WriteAllTextAsync(Path.Combine(_dir, "exec.toml"), $"[exec]\njob-shell = \"{shell}\"\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "flux run -n2 --label-io sh -c 'echo rank $FLUX_TASK_RANK; echo err >&2'; echo rc=$?; " +
            "flux run sh -c 'exit 3'; echo rc=$?; " +
            "id=$(flux submit -o rlimit.nofile=64 sh -c 'ulimit -n') && flux job attach $id && flux job eventlog -p exec $id | cut -d' ' -f2 | tr '\\n' ' '; echo; " +
            "flux run -n2 --taskmap='manual:[[0,1,1,1]]' true; echo rc=$?");
        Assert.True(r.Stdout.Contains("0: rank 0\n", StringComparison.Ordinal) && r.Stdout.Contains("1: rank 1\n", StringComparison.Ordinal), r.ToString());
        Assert.Equal(1, r.Stdout.Split('\n').Count(l => l == "0: rank 0"));
        Assert.Contains("0: err", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=0\nrc=3\n64\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("init starting shell.init shell.start complete done", r.Stdout, StringComparison.Ordinal);
        // A shell that cannot run its job raises the exception itself.
        Assert.Contains("job shell failed: taskmap: manual taskmap [[0,1,1,1]] does not match", r.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("rc=1\n", r.Stdout, StringComparison.Ordinal);
    }
}
