// flux job status / submit --wait of jobs that are not waitable, and the job commands flux-core has (issue 17).
namespace Flux.EndToEnd.Tests;

public sealed class JobInteropEndToEndTests
{
    private static Dictionary<string, string> Env(LiveInstance inst) => new() { ["FLUX_URI"] = inst.Uri };

    [Fact]
    public async Task JobStatus_NotWaitableFinishedJobs_ExitWithTheLargestCodeAndJsonResult()
    {
        await using var inst = await LiveInstance.StartAsync();
        var ok = (await inst.RunAsync("submit", "true")).Stdout.Trim();
        var bad = (await inst.RunAsync("submit", "sh", "-c", "exit 5")).Stdout.Trim();
        var r = await inst.RunAsync("job", "status", "-v", ok, bad);
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains($"flux-job: {bad}: exited with exit code 5", r.Stderr, StringComparison.Ordinal);
        var json = await inst.RunAsync("job", "status", "--json", ok);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains("\"exception_occurred\":false", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"waitstatus\":0,\"result\":1}", json.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobStatus_CanceledJob_ExitsWithTheExceptionExitCode()
    {
        await using var inst = await LiveInstance.StartAsync();
        var held = (await inst.RunAsync("submit", "--urgency=hold", "true")).Stdout.Trim();
        Assert.Equal(0, (await inst.RunAsync("cancel", held)).ExitCode);
        var r = await inst.RunAsync("job", "status", "-e", "7", held);
        Assert.True(r.ExitCode == 7, r.ToString());
    }

    [Fact]
    public async Task SubmitCcWait_NotWaitable_WaitsForEveryJob()
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync("submit", "--cc=1-5", "--quiet", "--wait", "sh", "-c", "exit {cc}");
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains("task(s) exited with exit code 5", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobSubmit_RawJsonAndYamlJobspec_RunsIt()
    {
        await using var inst = await LiveInstance.StartAsync();
        var spec = (await inst.RunAsync("run", "--dry-run", "sh", "-c", "echo raw")).Stdout;
        var json = await FluxProcess.RunAsync(["job", "submit"], stdin: spec, env: Env(inst));
        Assert.True(json.ExitCode == 0, json.ToString());
        var attach = await inst.RunAsync("job", "attach", json.Stdout.Trim());
        Assert.Equal("raw\n", attach.Stdout);
        var refused = await inst.RunAsync("job", "submit", "--sign-type=munge", "-");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("not supported", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseAllKillAllPurgeMemo_AsFluxCoresCommands()
    {
        await using var inst = await LiveInstance.StartAsync();
        var held = (await inst.RunAsync("submit", "--urgency=hold", "true")).Stdout.Trim();
        var dry = await inst.RunAsync("job", "raiseall", "test");
        Assert.Equal("flux-job: Command matched 1 jobs (-f to confirm)\n", dry.Stderr);
        var kill = await inst.RunAsync("job", "killall");
        Assert.Equal("flux-job: Command matched 0 jobs\n", kill.Stderr);
        Assert.Equal(0, (await inst.RunAsync("job", "memo", held, "note=hello", "n=2")).ExitCode);
        var memo = await inst.RunAsync("job", "wait-event", "-f", "json", held, "memo");
        Assert.True(memo.ExitCode == 0, memo.ToString());
        Assert.Contains("\"context\":{\"note\":\"hello\",\"n\":2}", memo.Stdout, StringComparison.Ordinal);
        var raised = await inst.RunAsync("job", "raiseall", "-s", "0", "-f", "cancel", "bye");
        Assert.Equal("flux-job: Raised exception on 1 jobs (0 errors)\n", raised.Stderr);
        Assert.Equal(0, (await inst.RunAsync("job", "wait-event", held, "clean")).ExitCode);
        var count = await inst.RunAsync("job", "purge", held);
        Assert.Equal("use --force to purge 1 of 1 inactive jobs\n", count.Stdout);
        var purged = await inst.RunAsync("job", "purge", "-f", held);
        Assert.Equal("purged 1 inactive jobs, 0 remaining\n", purged.Stdout);
    }
}
