// Barriers across a job's local tasks and the put/barrier/get exchange an MPI program's wire-up does.
using Flux.Abstractions;
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class PmiBarrierTests
{
    private sealed class RecordingExchange(Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> answer) : IPmiExchange
    {
        public List<Dictionary<string, string>> Calls { get; } = [];

        public Task<IReadOnlyDictionary<string, string>> ExchangeAsync(IReadOnlyDictionary<string, string> pending, CancellationToken ct)
        {
            lock (Calls)
            {
                Calls.Add(new(pending));
            }
            return Task.FromResult(answer(pending));
        }
    }

    private static async Task<List<PmiTestTask>> TasksAsync(SimplePmiServer server, int n)
    {
        var tasks = Enumerable.Range(0, n).Select(r => new PmiTestTask(server, r)).ToList();
        foreach (var t in tasks)
        {
            Assert.StartsWith("cmd=response_to_init rc=0", await t.AskAsync("cmd=init pmi_version=1 pmi_subversion=1"), StringComparison.Ordinal);
        }
        return tasks;
    }

    [Fact]
    public async Task Barrier_ReleasedOnlyOnceEveryLocalTaskEntered()
    {
        var server = new SimplePmiServer("x", 4, 4, new LocalPmiExchange());
        var tasks = await TasksAsync(server, 4);
        var outs = new List<Task<string?>>();
        foreach (var t in tasks.Take(3))
        {
            await t.SendAsync("cmd=barrier_in");
            outs.Add(t.ReadAsync());
        }

        // The server keeps answering the last task while the others wait in the barrier.
        Assert.Equal("cmd=appnum rc=0 appnum=0", await tasks[3].AskAsync("cmd=get_appnum"));
        Assert.DoesNotContain(outs, o => o.IsCompleted);
        Assert.Equal("cmd=barrier_out rc=0", await tasks[3].AskAsync("cmd=barrier_in"));
        foreach (var o in outs)
        {
            Assert.Equal("cmd=barrier_out rc=0", await Await.Within(o, "barrier_out of a task that entered first"));
        }
        foreach (var t in tasks)
        {
            await t.DisposeAsync();
        }
    }

    [Fact]
    public async Task Exchange_FourTasks_EveryTaskGetsEveryRanksKey()
    {
        var server = new SimplePmiServer("f2JW1mFy", 4, 4, new LocalPmiExchange());
        var tasks = await TasksAsync(server, 4);

        await Task.WhenAll(tasks.Select(async t =>
        {
            Assert.Equal("cmd=put_result rc=0", await t.AskAsync($"cmd=put kvsname=f2JW1mFy key=key.{t.Rank} value=f2JW1mFy-{t.Rank}-4"));
            Assert.Equal("cmd=barrier_out rc=0", await t.AskAsync("cmd=barrier_in"));
            for (var r = 0; r < 4; r++)
            {
                Assert.Equal($"cmd=get_result rc=0 value=f2JW1mFy-{r}-4", await t.AskAsync($"cmd=get kvsname=f2JW1mFy key=key.{r}"));
            }
            Assert.Equal("cmd=barrier_out rc=0", await t.AskAsync("cmd=barrier_in"));
            Assert.Equal("cmd=finalize_ack rc=0", await t.AskAsync("cmd=finalize"));
        }));
        foreach (var t in tasks)
        {
            await t.DisposeAsync();
        }
    }

    [Fact]
    public async Task Exchange_PendingKeysSent_OtherShellsKeysVisible_LocalKeysKept()
    {
        var exchange = new RecordingExchange(pending => new Dictionary<string, string>(pending) { ["from-shell-1"] = "remote" });
        var server = new SimplePmiServer("x", 4, 2, exchange);
        server.PutLocal("PMI_process_mapping", "(vector,(0,2,2))");
        var tasks = await TasksAsync(server, 2);
        await tasks[0].AskAsync("cmd=put kvsname=x key=a value=1");
        await tasks[1].AskAsync("cmd=put kvsname=x key=local::shm value=seg");

        await Task.WhenAll(tasks.Select(async t => Assert.Equal("cmd=barrier_out rc=0", await t.AskAsync("cmd=barrier_in"))));

        var call = Assert.Single(exchange.Calls);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, call);
        Assert.Equal("cmd=get_result rc=0 value=remote", await tasks[1].AskAsync("cmd=get kvsname=x key=from-shell-1"));
        Assert.Equal("cmd=get_result rc=0 value=1", await tasks[1].AskAsync("cmd=get kvsname=x key=a"));
        Assert.Equal("cmd=get_result rc=0 value=seg", await tasks[0].AskAsync("cmd=get kvsname=x key=local::shm"));

        // A second cycle exchanges only what was put since the first.
        await tasks[0].AskAsync("cmd=put kvsname=x key=b value=2");
        await Task.WhenAll(tasks.Select(t => t.AskAsync("cmd=barrier_in")));
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, exchange.Calls[1]);
        foreach (var t in tasks)
        {
            await t.DisposeAsync();
        }
    }

    [Fact]
    public async Task Barrier_ExchangeFails_EveryTaskGetsFailAndWarningLogged()
    {
        var warnings = new List<string>();
        var exchange = new RecordingExchange(_ => throw new FluxException(Errno.EHOSTUNREACH, "shell 1 lost"));
        var server = new SimplePmiServer("x", 4, 2, exchange) { Warn = w => { lock (warnings) { warnings.Add(w); } } };
        var tasks = await TasksAsync(server, 2);

        var outs = await Task.WhenAll(tasks.Select(t => t.AskAsync("cmd=barrier_in")));

        Assert.All(outs, o => Assert.Equal("cmd=barrier_out rc=-1", o));
        lock (warnings)
        {
            Assert.Equal(["exchange failed: shell 1 lost"], warnings);
        }
        foreach (var t in tasks)
        {
            await t.DisposeAsync();
        }
    }
}
