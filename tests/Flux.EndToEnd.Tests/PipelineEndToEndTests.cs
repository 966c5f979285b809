// The job pipeline as an admin and a user drive it with real flux processes: bulk submission with
// testexec, listings, queue control, cancel, and a restart that keeps pending jobs and history.
namespace Flux.EndToEnd.Tests;

public sealed class PipelineEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-pipeline-");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task BulkSubmit_Testexec_AllCompleteAndListed()
    {
        var conf = Path.Combine(_dir, "conf");
        Directory.CreateDirectory(conf);
        await File.WriteAllTextAsync(Path.Combine(conf, "exec.toml"), "[exec.testexec]\nenable = true\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={conf}", "sh", "-c",
            "flux submit --cc=1-100 --wait --quiet -t 1s true; echo rc=$?; flux jobs -a -no '{status}' | sort | uniq -c");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("rc=0", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\s+100 COMPLETED", r.Stdout);
    }

    [Fact]
    public async Task QueueStopStart_CancelAndDryRun_AsTheAdminGuideShows()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux queue stop -m maint >/dev/null; flux queue status; for i in 1 2 3; do flux submit sleep 60 >/dev/null; done; flux jobs -no '{state}' | sort | uniq -c; " +
            "flux cancel --all --dry-run; flux cancel --all; flux queue start >/dev/null; flux queue drain; flux jobs -a -no '{result}' | sort | uniq -c");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Job submission is enabled", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Scheduling is stopped: maint", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\s+3 SCHED", r.Stdout);
        Assert.Contains("flux-cancel: Would cancel 3 jobs", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("flux-cancel: Canceled 3 jobs (0 errors)", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\s+3 CANCELED", r.Stdout);
    }

    [Fact]
    public async Task Restart_SameStatedir_KeepsPendingJobsAndHistory()
    {
        var state = Path.Combine(_dir, "state");
        var first = await FluxProcess.RunAsync("start", "-S", $"statedir={state}", "sh", "-c",
            "flux run echo done >/dev/null; flux submit --urgency=hold --job-name=keepme sleep 1");
        Assert.True(first.ExitCode == 0, first.ToString());
        var held = first.Stdout.Trim();
        var second = await FluxProcess.RunAsync("start", "-S", $"statedir={state}", "sh", "-c",
            "flux jobs -a -no '{id.f58} {name} {status}'; flux startlog | wc -l");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"{held} keepme SCHED", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("echo COMPLETED", second.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("2\n", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainUndrain_ReflectedInResourceStatus()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux resource drain 0 maintenance; flux resource status -s drained -no '{nodelist}'; flux resource drain; flux resource undrain 0; flux resource status -s drained -no '{nodelist}' | wc -w");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains(Environment.MachineName, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("maintenance", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("0\n", r.Stdout, StringComparison.Ordinal);
    }
}
