// flux queue list as flux-core's t2241-queue-cmd.t runs it: the anonymous queue's 0/inf limits and
// switches, policy defaults and limits, named queues with their own policy tables, --queue and formats.
namespace Flux.EndToEnd.Tests;

public sealed class QueueListEndToEndTests : IDisposable
{
    private const string AllLimits = "{defaults.timelimit},{limits.timelimit},{limits.range.nnodes},{limits.range.ncores},{limits.range.ngpus},"
        + "{limits.min.nnodes},{limits.min.ncores},{limits.min.ngpus},{limits.max.nnodes},{limits.max.ncores},{limits.max.ngpus}";

    // flux-core's t2241 global limits (job-size.max.ngpus left out: its default is infinity).
    private const string GlobalLimits = """
        [policy.limits]
        duration = "4h"
        job-size.min.nnodes = 2
        job-size.max.nnodes = 10
        job-size.min.ncores = 1
        job-size.max.ncores = -1
        job-size.min.ngpus = 1

        """;

    private readonly string _dir = TempDirs.Create("flux-e2e-queuelist-");

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<FluxResult> InInstanceAsync(string toml, string script)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "conf.toml"), toml);
        return await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c", script);
    }

    [Fact]
    public async Task List_AnonymousQueue_ZeroToInfinityAndSwitches()
    {
        var r = await InInstanceAsync("", string.Join("; echo --; ",
            "flux queue list -n -o '{queue},{queuem}'",
            $"flux queue list -n -o '{AllLimits}'",
            "flux queue list -n -o '{defaults.timelimit!F},{limits.timelimit!F}'",
            "flux queue list -no '{submission} {scheduling} {enabled} {started}'",
            "flux queue stop >/dev/null; flux queue disable -m testing >/dev/null; flux queue list -no '{submission} {scheduling} {enabled.ascii} {started.ascii}'",
            "flux queue list --queue=batch; echo rc=$?",
            "flux queue list | head -1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        Assert.Equal(",\n", parts[0]);
        Assert.Equal("inf,inf,0-inf,0-inf,0-inf,0,0,0,inf,inf,inf\n", parts[1]);
        Assert.Equal("inf,inf\n", parts[2]);
        Assert.Equal("enabled started \u2714 \u2714\n", parts[3]);
        Assert.Equal("disabled stopped n n\n", parts[4]);
        Assert.Equal("rc=1\n", parts[5]);
        Assert.Contains("flux-queue: No such queue: batch", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("EN ST TDEFAULT   TLIMIT     NNODES     NCORES      NGPUS", parts[6].Trim());
    }

    [Fact]
    public async Task List_PolicyDefaultsAndLimits_AsFluxCoreReadsThem()
    {
        const string toml = """
            [policy.jobspec.defaults.system]
            duration = "1h"

            """ + GlobalLimits;
        var r = await InInstanceAsync(toml, string.Join("; echo --; ",
            "flux queue list -n -o '{defaults.timelimit},{limits.timelimit},{defaults.timelimit!F},{limits.timelimit!F}'",
            "flux queue list -n -o '{limits.range.nnodes},{limits.range.ncores},{limits.range.ngpus}'",
            "flux queue list -n -o '{limits.max.nnodes},{limits.max.ncores},{limits.max.ngpus}'"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("3600.0,14400.0,1h,4h\n--\n2-10,1-inf,1-inf\n--\n10,inf,inf\n", r.Stdout);
    }

    [Fact]
    public async Task List_NamedQueues_OwnPolicyOverGlobalAndDefaultMarked()
    {
        const string toml = """
            [policy.jobspec.defaults.system]
            queue = "batch"
            duration = "1h"

            """ + GlobalLimits + """

            [queues.batch]
            policy.jobspec.defaults.system.duration = "2h"

            [queues.batch.policy.limits]
            duration = "8h"
            job-size.min.nnodes = 5
            job-size.max.nnodes = 15
            job-size.min.ncores = 1
            job-size.max.ncores = 20
            job-size.min.ngpus = 1
            job-size.max.ngpus = 4

            [queues.debug.policy.limits]
            duration = "2h"
            job-size.max.nnodes = 4
            job-size.min.ncores = 2
            """;
        var r = await InInstanceAsync(toml, string.Join("; echo --; ",
            "flux queue list -no '{queue},{queuem}' | sort",
            "flux queue list -n -o '{queue},{defaults.timelimit},{limits.timelimit},{defaults.timelimit!F},{limits.timelimit!F}' | sort",
            "flux queue list -n -o '{queue},{limits.range.nnodes},{limits.range.ncores},{limits.range.ngpus}' | sort",
            "flux queue list -q debug -no '{queue}'",
            "flux queue list -q batch,debug -n | wc -l",
            "flux queue list --queue=foo; echo rc=$?",
            "flux queue list | head -1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        Assert.Equal("batch,batch*\ndebug,debug\n", parts[0]);
        Assert.Equal("batch,7200.0,28800.0,2h,8h\ndebug,3600.0,7200.0,1h,2h\n", parts[1]);
        Assert.Equal("batch,5-15,1-20,1-4\ndebug,2-4,2-inf,1-inf\n", parts[2]);
        Assert.Equal("debug\n", parts[3]);
        Assert.Equal("2", parts[4].Trim());
        Assert.Equal("rc=1\n", parts[5]);
        Assert.Equal("QUEUE    EN ST TDEFAULT   TLIMIT     NNODES     NCORES      NGPUS\n", parts[6]);
    }

    [Fact]
    public async Task List_BadFieldOrFormatName_RefusedWithTheName()
    {
        var r = await InInstanceAsync("", "flux queue list -o '{limits.foobar}'; echo rc=$?; flux queue list -o nosuch; echo rc=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rc=1\nrc=1\n", r.Stdout);
        Assert.Contains("Unknown format field: limits.foobar", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown format name 'nosuch'", r.Stderr, StringComparison.Ordinal);
    }
}
