// The PMI-1 wire commands one task sends, answered as flux-core's simple_server answers them.
using Flux.Abstractions;
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class SimplePmiServerTests
{
    private static SimplePmiServer Server(int size = 1) => new("f2JW1mFy", size, size, new LocalPmiExchange());

    [Fact]
    public async Task Init_Version1_1_Accepted()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1", await task.AskAsync("cmd=init pmi_version=1 pmi_subversion=1"));
    }

    [Fact]
    public async Task Init_Version2_AnsweredWithVersion1_1()
    {
        // A PMI-2 wire client learns that this server speaks PMI-1, as from flux-core's.
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1", await task.AskAsync("cmd=init pmi_version=2 pmi_subversion=0"));
    }

    [Fact]
    public async Task Init_Version1_0_Refused()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=response_to_init rc=-1", await task.AskAsync("cmd=init pmi_version=1 pmi_subversion=0"));
    }

    [Fact]
    public async Task Queries_AnswerLimitsAppnumKvsnameAndUniverse()
    {
        await using var task = new PmiTestTask(new SimplePmiServer("f2JW1mFy", 8, 1, new LocalPmiExchange()), 0);

        Assert.Equal("cmd=maxes rc=0 kvsname_max=64 keylen_max=64 vallen_max=1024", await task.AskAsync("cmd=get_maxes"));
        Assert.Equal("cmd=appnum rc=0 appnum=0", await task.AskAsync("cmd=get_appnum"));
        Assert.Equal("cmd=my_kvsname rc=0 kvsname=f2JW1mFy", await task.AskAsync("cmd=get_my_kvsname"));
        Assert.Equal("cmd=universe_size rc=0 size=8", await task.AskAsync("cmd=get_universe_size"));
    }

    [Fact]
    public async Task PutGet_ValueWithSpaces_ReadBackWhole()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=put_result rc=0", await task.AskAsync("cmd=put kvsname=f2JW1mFy key=card value=tcp://a b=c"));
        Assert.Equal("cmd=get_result rc=0 value=tcp://a b=c", await task.AskAsync("cmd=get kvsname=f2JW1mFy key=card"));
    }

    [Fact]
    public async Task Put_HydraFoundTrueSuffix_Dropped()
    {
        await using var task = new PmiTestTask(Server(), 0);

        await task.AskAsync("cmd=put kvsname=x key=k value=v found=TRUE");

        Assert.Equal("cmd=get_result rc=0 value=v", await task.AskAsync("cmd=get kvsname=x key=k"));
    }

    [Fact]
    public async Task Get_MissingKey_InvalidKey()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=get_result rc=4", await task.AskAsync("cmd=get kvsname=f2JW1mFy key=nope"));
    }

    [Theory]
    [InlineData(63, 63, 1023, 0)]
    [InlineData(64, 1, 1, 8)]
    [InlineData(1, 64, 1, 5)]
    [InlineData(1, 1, 1024, 7)]
    public async Task Put_Lengths_LimitsOfGetMaxes(int nameLength, int keyLength, int valueLength, int rc)
    {
        await using var task = new PmiTestTask(Server(), 0);

        var response = await task.AskAsync($"cmd=put kvsname={new string('n', nameLength)} key={new string('k', keyLength)} value={new string('v', valueLength)}");

        Assert.Equal($"cmd=put_result rc={rc}", response);
    }

    [Fact]
    public async Task Get_KeyTooLong_InvalidKeyLength()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=get_result rc=5", await task.AskAsync($"cmd=get kvsname=x key={new string('k', 64)}"));
    }

    [Fact]
    public async Task PutLocal_VisibleToGet()
    {
        var server = Server();
        server.PutLocal("PMI_process_mapping", "(vector,(0,1,1))");
        await using var task = new PmiTestTask(server, 0);

        Assert.Equal("cmd=get_result rc=0 value=(vector,(0,1,1))", await task.AskAsync("cmd=get kvsname=x key=PMI_process_mapping"));
    }

    [Theory]
    [InlineData("publish_name service=s port=p", "cmd=publish_result rc=-1 msg=command not implemented")]
    [InlineData("unpublish_name service=s", "cmd=unpublish_result rc=-1 msg=command not implemented")]
    [InlineData("lookup_name service=s", "cmd=lookup_result rc=-1 msg=command not implemented")]
    public async Task NameService_NotImplemented(string request, string response)
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal(response, await task.AskAsync("cmd=" + request));
    }

    [Fact]
    public async Task Spawn_MultiLine_RefusedAtEndcmd()
    {
        await using var task = new PmiTestTask(Server(), 0);
        await task.SendAsync("mcmd=spawn");
        await task.SendAsync("nprocs=1");
        await task.SendAsync("execname=/bin/true");

        Assert.Equal("cmd=spawn_result rc=-1", await task.AskAsync("endcmd"));
        Assert.Equal("cmd=appnum rc=0 appnum=0", await task.AskAsync("cmd=get_appnum"));
    }

    [Fact]
    public async Task Finalize_Acknowledged_ServingEndsWithTheStream()
    {
        await using var task = new PmiTestTask(Server(), 0);

        Assert.Equal("cmd=finalize_ack rc=0", await task.AskAsync("cmd=finalize"));
        Assert.False(task.Served.IsCompleted);
        task.Close();
        await Await.Within(task.Served, "the server's loop to end with the task's stream");
    }

    [Fact]
    public async Task Serve_TaskKilledWithResponseUnread_EndsWithoutError()
    {
        var lines = new List<string>();
        var server = new SimplePmiServer("x", 1, 1, new LocalPmiExchange()) { Trace = (_, l) => { lock (lines) { lines.Add(l); } } };
        await using var task = new PmiTestTask(server, 0);
        await task.SendAsync("cmd=get_appnum");
        await task.SendAsync("cmd=get_maxes");

        task.Abandon();

        await Await.Within(task.Served, "the server's loop to end with the reset channel");
        lock (lines)
        {
            // Reset (or a broken pipe for a response written after the close), not a clean end of stream.
            Assert.StartsWith("C: pmi read error: ", lines[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Abort_ReportsCodeAndMessage_NoResponse()
    {
        var aborted = new TaskCompletionSource<(int Rank, int Code, string Message)>();
        var server = new SimplePmiServer("x", 2, 2, new LocalPmiExchange()) { Abort = (r, c, m) => aborted.TrySetResult((r, c, m)) };
        await using var task = new PmiTestTask(server, 1);

        await task.SendAsync("cmd=abort exitcode=3 error_msg=rank 1 gives up");

        Assert.Equal((1, 3, "rank 1 gives up"), await Await.Within(aborted.Task, "the abort callback"));
        Assert.Equal("cmd=appnum rc=0 appnum=0", await task.AskAsync("cmd=get_appnum"));
    }

    [Theory]
    [InlineData("cmd=frobnicate")]
    [InlineData("hello")]
    [InlineData("cmd=init pmi_version=1")]
    [InlineData("cmd=put kvsname=x key=k")]
    public async Task Serve_NotTheProtocol_FailsWithEproto(string request)
    {
        await using var task = new PmiTestTask(Server(), 0);

        await task.SendAsync(request);

        var ex = await Assert.ThrowsAsync<FluxException>(() => Await.Within(task.Served, "the protocol error"));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
        Assert.Contains("PMI-1 wire protocol error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_RequestsAndResponsesWithRank()
    {
        var lines = new List<string>();
        var server = new SimplePmiServer("x", 3, 3, new LocalPmiExchange()) { Trace = (r, l) => { lock (lines) { lines.Add($"{r}: {l}"); } } };
        await using var task = new PmiTestTask(server, 2);

        await task.AskAsync("cmd=get_appnum");

        lock (lines)
        {
            Assert.Equal(["2: C: cmd=get_appnum", "2: S: cmd=appnum rc=0 appnum=0"], lines);
        }
    }
}
