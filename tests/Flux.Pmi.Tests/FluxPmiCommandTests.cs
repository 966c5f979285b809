// flux pmi (the CLI's simple PMI client) against the shell's server, as tasks of a 4-task job, without a broker.
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class FluxPmiCommandTests
{
    private static string[] Flux(params string[] args) => [FluxProcess.FluxExe, .. args];

    [Fact]
    public async Task Exchange_FourTasks_Rank0ReportsCompletion()
    {
        var server = new SimplePmiServer("f2JW1mFy", 4, 4, new LocalPmiExchange());

        var tasks = await PmiTaskGroup.RunAsync(server, 4, Flux("pmi", "exchange", "--count=2"), new Dictionary<string, string> { ["FLUX_JOB_ID"] = "f2JW1mFy" });

        Assert.All(tasks, t => Assert.True(t.ExitCode == 0, $"task {t.Rank}: exit {t.ExitCode}: {t.Stderr}"));
        Assert.Matches(@"^(f2JW1mFy: completed pmi exchange on 4 tasks in \d+\.\d{3}s\.\n){2}$", tasks[0].Stdout);
        Assert.All(tasks.Skip(1), t => Assert.Equal("", t.Stdout));
    }

    [Fact]
    public async Task Barrier_FourTasks_Rank0ReportsCompletion()
    {
        var server = new SimplePmiServer("x", 4, 4, new LocalPmiExchange());

        var tasks = await PmiTaskGroup.RunAsync(server, 4, Flux("pmi", "barrier"), new Dictionary<string, string> { ["FLUX_JOB_CC"] = "7" });

        Assert.All(tasks, t => Assert.Equal(0, t.ExitCode));
        Assert.Matches(@"^7: completed pmi barrier on 4 tasks in \d+\.\d{3}s\.\n$", tasks[0].Stdout);
    }

    [Fact]
    public async Task Get_PresetKeyOnAllRanks_EveryRankPrintsIt()
    {
        var server = new SimplePmiServer("x", 2, 2, new LocalPmiExchange());
        server.PutLocal("PMI_process_mapping", "(vector,(0,1,2))");

        var tasks = await PmiTaskGroup.RunAsync(server, 2, Flux("pmi", "get", "--ranks=all", "PMI_process_mapping"));

        Assert.All(tasks, t => Assert.Equal("(vector,(0,1,2))\n", t.Stdout));
    }

    [Fact]
    public async Task Get_MissingKey_FailsWithPmiError()
    {
        var server = new SimplePmiServer("x", 1, 1, new LocalPmiExchange());

        var task = Assert.Single(await PmiTaskGroup.RunAsync(server, 1, Flux("pmi", "get", "nope")));

        Assert.Equal(1, task.ExitCode);
        Assert.Equal("flux-pmi: get nope: invalid key argument\n", task.Stderr);
    }

    [Fact]
    public async Task Barrier_TestAbort_ServerToldRankAndMessage_TaskExits1()
    {
        var aborted = new List<(int Rank, int Code, string Message)>();
        var server = new SimplePmiServer("x", 1, 1, new LocalPmiExchange()) { Abort = (r, c, m) => { lock (aborted) { aborted.Add((r, c, m)); } } };

        var task = Assert.Single(await PmiTaskGroup.RunAsync(server, 1, Flux("pmi", "barrier", "--test-abort=0")));

        Assert.Equal(1, task.ExitCode);
        Assert.Equal("", task.Stdout);
        lock (aborted)
        {
            Assert.Equal([(0, 1, "flux-pmi: rank 0 is aborting")], aborted);
        }
    }
}
