// The admin guide's queue and policy examples, each written verbatim into an instance's config
// directory, and the behaviour the guide describes checked with the flux commands it shows.
namespace Flux.EndToEnd.Tests;

public sealed class AdminGuidePolicyEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-guide-policy-");

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<FluxResult> StartAsync(string toml, string script)
    {
        var conf = Path.Combine(_dir, "conf");
        Directory.CreateDirectory(conf);
        await File.WriteAllTextAsync(Path.Combine(conf, "system.toml"), toml);
        return await FluxProcess.RunAsync("start", $"--config-path={conf}", "sh", "-c", script);
    }

    // A part of the example system.toml of "Configuring the Flux System Instance", from one comment to another.
    private static string SystemInstancePart(string from, string to)
    {
        var toml = AdminGuide.Toml("Configuring the Flux System Instance");
        var start = toml.IndexOf(from, StringComparison.Ordinal);
        var end = toml.IndexOf(to, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"the example system.toml no longer has '{from}' before '{to}'");
        return toml[start..end];
    }

    // The [policy] tables of the example system.toml.
    private static string SystemInstancePolicy() => SystemInstancePart("# Jobs submitted without duration", "# Configure the flux-sched");

    // "Adding Queues" adds properties to the nodes of the system instance: its cores come from the
    // example system.toml's [[resource.config]] entries, which must be in the same file (TOML arrays
    // of tables cannot span files), as a site's system.toml would hold them.
    private static string AddingQueues() =>
        SystemInstancePart("[[resource.config]]", "# Store the kvs root hash") + AdminGuide.Toml("Adding Queues");

    [Fact]
    public async Task SystemInstancePolicy_DefaultDurationAndLimits_AppliedThenChecked()
    {
        var r = await StartAsync(SystemInstancePolicy(), """
            id=$(flux submit true) && flux job info $id jobspec | grep -o '"duration": *[0-9.]*'
            flux run -t 1h echo under-limit
            flux submit -t 3h true; echo rc=$?
            flux submit -N9 -n9 true; echo rc=$?
            flux submit -n33 true; echo rc=$?
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches("\"duration\": *60(\\.0)?\nunder-limit\nrc=1\nrc=1\nrc=1\n", r.Stdout);
        Assert.Contains("policy limit of 2h\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("policy limit of 8\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("policy limit of 32\n", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingQueues_Example_QueuesListedStoppedThenStartedAll()
    {
        var r = await StartAsync(AddingQueues(), """
            flux queue status
            flux queue start --all
            flux queue status
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        // flux-core prints scheduling per queue now; the guide's single "Scheduling is enabled" line is an older release's.
        Assert.Equal("""
            batch: Job submission is enabled
            batch: Scheduling is stopped
            debug: Job submission is enabled
            debug: Scheduling is stopped
            batch: Scheduling is started
            debug: Scheduling is started
            batch: Job submission is enabled
            batch: Scheduling is started
            debug: Job submission is enabled
            debug: Scheduling is started

            """, r.Stdout);
    }

    [Fact]
    public async Task AddingQueues_Example_DefaultQueueItsConstraintsAndDurationLimit()
    {
        var r = await StartAsync(AddingQueues(), """
            id=$(flux submit true) && flux job info $id jobspec | tr -d ' \n' | grep -o '"queue":"debug"\|"duration":60\|"constraints":{"properties":\["debug"\]}'
            id=$(flux submit -q batch -t 4h true) && flux job info $id jobspec | tr -d ' \n' | grep -o '"constraints":{"properties":\["batch"\]}'
            flux submit -t 31m true; echo rc=$?
            flux submit -q batch -t 5h true; echo rc=$?
            flux submit -q nosuch true; echo rc=$?
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["\"constraints\":{\"properties\":[\"batch\"]}", "\"constraints\":{\"properties\":[\"debug\"]}", "\"duration\":60", "\"queue\":\"debug\""], lines[..^3].Order(StringComparer.Ordinal));
        Assert.Equal(["rc=1", "rc=1", "rc=1"], lines[^3..]);
        Assert.Contains("policy limit of 30m\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("policy limit of 4h\n", r.Stderr, StringComparison.Ordinal);
        Assert.Matches("flux-submit: ('nosuch' is not a valid queue|Invalid queue 'nosuch' specified)\n", r.Stderr);
    }

    [Fact]
    public async Task AddingQueues_Example_JobsRunOnTheirQueuesNodes()
    {
        var r = await StartAsync(AddingQueues(), """
            flux queue start --all >/dev/null
            flux run -q debug true; echo debug=$?
            flux jobs -a -no '{queue} {nodelist}'
            flux run -q batch true; echo batch=$?
            flux jobs -a -no '{queue} {nodelist}' | sort
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches("debug=0\ndebug test[1-4]\n", r.Stdout);
        Assert.Matches("batch test([5-9]|1[0-6])\n", r.Stdout);
    }

    [Fact]
    public async Task QueuesWithoutDefault_JobWithoutQueue_Refused()
    {
        var r = await StartAsync("[queues.debug]\n[queues.batch]\n", "flux submit true; echo rc=$?; flux submit -q debug true >/dev/null; echo rc=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rc=1\nrc=0\n", r.Stdout);
        // flux-core's job-manager words, or those of its defaults frobnicator when ingest refuses first.
        Assert.Matches("^flux-submit: (a named queue is required|no queue specified)\n$", r.Stderr);
    }

    [Fact]
    public async Task PolicyLimits_Example_QueueLimitsOverrideAfterDefaults()
    {
        var r = await StartAsync(AdminGuide.Toml("Policy Limits"), PolicyLimitsScript);
        Assert.True(r.ExitCode == 0, r.ToString());
        // The default 1m duration is applied before the 30m limit is checked: the first job is not "unlimited".
        Assert.Equal("default=0\nrc=1\nrc=1\nrc=1\nbatch=0\nrc=1\nrc=1\nrc=1\n", r.Stdout);
        Assert.Equal(6, r.Stderr.Split('\n').Count(l => l.StartsWith("flux-submit: ", StringComparison.Ordinal) && l.Contains("policy limit", StringComparison.Ordinal)));
    }

    private const string PolicyLimitsScript = """
        flux submit true >/dev/null; echo default=$?
        flux submit -t 31m true; echo rc=$?
        flux submit -N3 -n3 true; echo rc=$?
        flux submit -n17 true; echo rc=$?
        flux submit -q batch -t 8h -N16 -n128 true >/dev/null; echo batch=$?
        flux submit -q batch -t 9h true; echo rc=$?
        flux submit -q batch -N17 -n17 true; echo rc=$?
        flux submit -q batch -n129 true; echo rc=$?
        """;

    // The words of flux-core's limit-duration.c and limit-job-size.c, which the .limit-* builtins use;
    // job-ingest's own limit check must refuse in the same words, since it refuses first.
    [Fact]
    public async Task PolicyLimits_Example_RefusalsInFluxCoreWords()
    {
        var r = await StartAsync(AdminGuide.Toml("Policy Limits"), PolicyLimitsScript);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("""
            flux-submit: requested duration exceeds policy limit of 30m
            flux-submit: requested nnodes exceeds policy limit of 2
            flux-submit: requested ncores exceeds policy limit of 16
            flux-submit: requested duration exceeds policy limit of 8h
            flux-submit: requested nnodes exceeds policy limit of 16
            flux-submit: requested ncores exceeds policy limit of 128

            """, r.Stderr);
    }

    [Fact]
    public async Task ManagingTheQueue_PerQueueSwitchesAndVerboseStatus_AsFluxQueue()
    {
        var r = await StartAsync(AdminGuide.Toml("Policy Limits"), """
            flux queue start; echo rc=$?
            flux queue start debug
            flux queue disable -m maintenance debug
            flux submit true; echo rc=$?
            flux queue enable debug
            flux queue stop batch
            flux queue status -v
            flux queue drain && flux queue idle && echo idle
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("""
            rc=1
            debug: Scheduling is started
            debug: Job submission is disabled: maintenance
            rc=1
            debug: Job submission is enabled
            batch: Scheduling is stopped
            batch: Job submission is enabled
            batch: Scheduling is stopped
            debug: Job submission is enabled
            debug: Scheduling is started
            0 alloc requests queued
            0 alloc requests pending to scheduler
            0 running jobs
            idle

            """, r.Stdout);
        Assert.Contains("flux-queue: Named queues are defined. Specify queues or use --all.\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-submit: job submission to debug is disabled: maintenance\n", r.Stderr, StringComparison.Ordinal);
    }
}
