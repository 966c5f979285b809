// Progress displays of long runs (flux submit --progress, queue drain, dump, restore): drawn on stderr when it
// is a terminal, never on stdout, and nothing at all when stderr is a pipe.
using System.Text.RegularExpressions;

namespace Flux.EndToEnd.Tests;

public sealed partial class ProgressEndToEndTests
{
    [GeneratedRegex(@"^ƒ\w+$")]
    private static partial Regex JobId();

    [Fact]
    public async Task Submit_ProgressOnATerminal_BarsOnStderr_StdoutHasOnlyTheIds()
    {
        var dir = TempDirs.Create("flux-e2e-progress-");
        var inner = $"flux submit --cc=1-12 --progress --wait true > {dir}/wait.ids; echo rc=$?; flux submit --cc=1-5 --progress true > {dir}/submit.ids";
        var r = await Terminal.StartOnATerminalAsync(inner);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("rc=0", r.Stdout, StringComparison.Ordinal);
        // The wait bar stays on the screen at its last state; the submission bar is kept without --wait.
        Assert.Contains("PD+R:0 CD:12 F:0", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Submitting 5 jobs [^\n]*100%", r.Stdout);
        var waitIds = await File.ReadAllLinesAsync(Path.Combine(dir, "wait.ids"));
        Assert.Equal(12, waitIds.Length);
        Assert.All(waitIds, l => Assert.Matches(JobId(), l));
        Assert.All(await File.ReadAllLinesAsync(Path.Combine(dir, "submit.ids")), l => Assert.Matches(JobId(), l));
    }

    [Fact]
    public async Task DrainDumpRestore_OnATerminal_ShowProgressThenTheirUsualLines()
    {
        var dir = TempDirs.Create("flux-e2e-progress-");
        var inner = $"flux submit --cc=1-3 sleep 1 > /dev/null; flux queue drain; echo drained=$?; flux dump {dir}/kvs.tar; flux restore {dir}/kvs.tar";
        var r = await Terminal.StartOnATerminalAsync(inner);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("drained=0", r.Stdout, StringComparison.Ordinal);
        // queue drain counts the jobs left (pending, running) while it waits.
        Assert.Matches(@"PD:\S+ R:\S+ [^\n]*%", r.Stdout);
        // dump and restore draw their running count with a bar, then print their line as without a terminal.
        Assert.Matches(@"flux-dump: archived \d+ keys [^\n]*━", r.Stdout);
        Assert.Matches(@"flux-dump: archived \d+ keys\r\n", r.Stdout);
        Assert.Matches(@"flux-restore: restored \d+ keys [^\n]*━", r.Stdout);
        Assert.Matches(@"flux-restore: restored \d+ keys\r\n", r.Stdout);
    }

    [Fact]
    public async Task LongRuns_StderrAPipe_PrintNoProgress()
    {
        var dir = TempDirs.Create("flux-e2e-progress-");
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            $"flux submit --cc=1-4 --progress --wait true; flux queue drain; flux dump {dir}/kvs.tar; flux restore -q {dir}/kvs.tar");
        Assert.True(r.ExitCode == 0, r.ToString());
        var ids = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, ids.Length);
        Assert.All(ids, l => Assert.Matches(JobId(), l));
        Assert.Matches(@"^flux-dump: archived \d+ keys\n$", r.Stderr);
    }
}
