// The broker's rexec service answers flux-core's subprocess client (RFC 42) as flux-core's server.c does.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using Xunit;

namespace Flux.Conformance.Tests;

public sealed class RexecConformanceTests
{
    [Fact]
    public async Task Exec_TraceRequest_AnswersEachTraceResponseInOrderThenEnodata()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        // The trace's request, run where the test runs (its /home/user does not exist here).
        var (responses, _) = await ExecAsync(h, FluxCoreRexecFixtures.Request(Directory.GetCurrentDirectory()));
        var expected = FluxCoreRexecFixtures.ExecResponses.Select(r => JsonNode.Parse(r)!.AsObject()).ToList();
        Assert.Equal(expected.Count, responses.Count);
        var pid = responses[0]["pid"]!.GetValue<int>();
        Assert.True(pid > 0);
        for (var i = 0; i < expected.Count; i++)
        {
            // Everything as in the trace but the pid, which is this run's.
            if (expected[i]["pid"] is not null)
            {
                expected[i]["pid"] = pid;
            }
            Assert.Equal(expected[i].ToJsonString(), responses[i].ToJsonString());
        }
    }

    [Fact]
    public async Task Exec_Output_ALineAResponseAndTheWaitStatus()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (responses, _) = await ExecAsync(h, FluxCoreRexecFixtures.Request("/", "sh", "-c", "echo a; echo b >&2; printf 'c\\nd'; exit 3"));
        Assert.Equal(new[] { "a\n", "c\n", "d" }, Data(responses, "stdout"));
        Assert.Equal(new[] { "b\n" }, Data(responses, "stderr"));
        Assert.Equal(3 << 8, responses.Single(r => Type(r) == "finished")["status"]!.GetValue<int>());
        // The ends of file come last, after finished, stderr's before stdout's (exec.trace); output
        // read after the exit may come between finished and them.
        var finished = responses.FindIndex(r => Type(r) == "finished");
        Assert.True(finished < responses.Count - 2, "finished comes before the ends of file");
        var tail = responses.Skip(responses.Count - 2).Select(r => r["io"]!.ToJsonString()).ToList();
        Assert.Equal(new[] { """{"stream":"stderr","rank":"0","eof":true}""", """{"stream":"stdout","rank":"0","eof":true}""" }, tail);
    }

    [Fact]
    public async Task Exec_StdoutFlagOnly_StderrIsNotForwarded()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var request = FluxCoreRexecFixtures.Request("/", "sh", "-c", "echo o; echo e >&2");
        request["flags"] = 1;
        var (responses, _) = await ExecAsync(h, request);
        Assert.Equal(new[] { "o\n" }, Data(responses, "stdout"));
        Assert.DoesNotContain(responses, r => Type(r) == "output" && r["io"]!["stream"]!.GetValue<string>() == "stderr");
        // No write-credit flag: no add-credit.
        Assert.DoesNotContain(responses, r => Type(r) == "add-credit");
        Assert.Equal("""{"stream":"stdout","rank":"0","eof":true}""", responses[^1]["io"]!.ToJsonString());
    }

    [Fact]
    public async Task Exec_NotUtf8_IsBase64AsIoencode()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (responses, _) = await ExecAsync(h, FluxCoreRexecFixtures.Request("/", "printf", "\\377\\n"));
        var io = responses.First(r => Type(r) == "output")["io"]!;
        Assert.Equal("base64", io["encoding"]!.GetValue<string>());
        Assert.Equal(new byte[] { 0xff, (byte)'\n' }, Convert.FromBase64String(io["data"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Write_Stdin_ReachesTheProcessAndItsCreditComesBack()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (responses, _) = await ExecAsync(h, FluxCoreRexecFixtures.Request("/", "cat"), (request, r) =>
        {
            if (Type(r) == "started")
            {
                // As flux-core's subprocess_write: NORESPONSE, the exec request's matchtag, rank "0".
                Send(h, "rexec.write", new JsonObject { ["matchtag"] = request.Matchtag, ["io"] = new JsonObject { ["stream"] = "stdin", ["rank"] = "0", ["data"] = "hello\n" } });
                Send(h, "rexec.write", new JsonObject { ["matchtag"] = request.Matchtag, ["io"] = new JsonObject { ["stream"] = "stdin", ["rank"] = "0", ["eof"] = true } });
            }
            return Task.CompletedTask;
        });
        Assert.Equal(new[] { "hello\n" }, Data(responses, "stdout"));
        var credits = responses.Where(r => Type(r) == "add-credit").Select(r => r["channels"]!["stdin"]!.GetValue<int>()).ToList();
        Assert.Equal(new[] { 4194304, 6 }, credits);
        Assert.Equal(0, responses.Single(r => Type(r) == "finished")["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task KillAndList_RunningProcess_ListedThenSignaled()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        JsonObject? listed = null;
        var (responses, _) = await ExecAsync(h, FluxCoreRexecFixtures.Request("/", "sleep", "1000"), async (_, r) =>
        {
            if (Type(r) == "started")
            {
                var pid = r["pid"]!.GetValue<int>();
                listed = await h.RpcAsync("rexec.list", null, 0);
                // server.c answers a kill with an empty response.
                Assert.Null(await h.RpcAsync("rexec.kill", new JsonObject { ["pid"] = pid, ["signum"] = 15 }, 0));
            }
        });
        Assert.Equal(0, listed!["rank"]!.GetValue<int>());
        var proc = listed["procs"]!.AsArray().Single()!.AsObject();
        Assert.Equal("sleep", proc["cmd"]!.GetValue<string>());
        Assert.Equal("R", proc["state"]!.GetValue<string>());
        Assert.Equal(responses[0]["pid"]!.GetValue<int>(), proc["pid"]!.GetValue<int>());
        Assert.Equal(new[] { "attached", "bg", "cmd", "label", "pid", "state", "waitable" }, proc.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        // Killed by SIGTERM: the raw wait status is the signal number.
        Assert.Equal(15, responses.Single(r => Type(r) == "finished")["status"]!.GetValue<int>());
        var gone = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("rexec.kill", new JsonObject { ["pid"] = 1, ["signum"] = 15 }, 0));
        Assert.Equal(Errno.ESRCH, gone.Errnum);
        Assert.Equal("pid 1 does not belong to any subprocess", gone.Message);
    }

    [Fact]
    public async Task Exec_ClientDisconnects_ItsProcessIsKilled()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = await inst.ConnectAsync();
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var m in other.StreamAsync(Message.Request("rexec.exec", FluxCoreRexecFixtures.Request("/", "sleep", "1000"), 0)))
                {
                    if (m.GetJson()["type"]!.GetValue<string>() == "started")
                    {
                        started.TrySetResult(m.GetJson()["pid"]!.GetValue<int>());
                    }
                }
            }
            catch (FluxException)
            {
                // The handle was closed under the stream.
            }
        });
        await Await.Within(started.Task, "the sleep to start");
        await other.DisposeAsync();
        await Await.Within(watch, "the closed client's stream to end");
        await Await.Within(WaitForNoProcessesAsync(h), "rexec.list to be empty once the client that started the sleep went away");
    }

    [Fact]
    public async Task Exec_Guest_IsRefusedEperm()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var guest = await inst.ConnectAsync(asUser: 4242);
        var ex = await Assert.ThrowsAsync<FluxException>(() => ExecAsync(guest, FluxCoreRexecFixtures.Request("/")));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        var list = await Assert.ThrowsAsync<FluxException>(() => guest.RpcAsync("rexec.list", null, 0));
        Assert.Equal(Errno.EPERM, list.Errnum);
    }

    public static TheoryData<string, int, string> BadRequests() => new()
    {
        { """{"flags":11}""", Errno.EPROTO, "invalid request payload: 'cmd' must be an object" },
        { """{"cmd":{"cmdline":["true"],"env":{},"opts":{},"channels":[]}}""", Errno.EPROTO, "invalid request payload: 'flags' must be an integer" },
        { """{"cmd":{"cmdline":[],"env":{},"opts":{},"channels":[]},"flags":3}""", Errno.EPROTO, "error parsing command string: command string is empty" },
        { """{"cmd":{"cmdline":["true"],"opts":{},"channels":[]},"flags":3}""", Errno.EPROTO, "error parsing command string: 'env' must be an object of strings" },
        { """{"cmd":{"cmdline":["true"],"env":{},"opts":{},"channels":["aux"]},"flags":3}""", Errno.EINVAL, "auxiliary channels (\"aux\") are not supported by this subprocess server" },
        { """{"cmd":{"cmdline":["true"],"env":{},"opts":{"nosuch":"1"},"channels":[]},"flags":3}""", Errno.EINVAL, "subprocess option 'nosuch' is not supported (supported: stdin_BUFSIZE, stdout_BUFSIZE, stderr_BUFSIZE, stdout_LINE_BUFFER, stderr_LINE_BUFFER)" },
        { """{"cmd":{"cmdline":["true"],"env":{},"opts":{},"channels":[]},"flags":16}""", Errno.EINVAL, "waitable flag only supported in background mode" },
        { """{"cmd":{"cmdline":["true"],"env":{},"opts":{},"channels":[]},"flags":3,"local_flags":1}""", Errno.EINVAL, "stdio-fallthrough local flag: the process's stdio is forwarded to the client, it cannot be the broker's" },
        { """{"cmd":{"cmdline":["no-such-command-x"],"env":{"PATH":"/usr/bin:/bin"},"opts":{},"channels":[]},"flags":3}""", Errno.ENOENT, "No such file or directory" },
        { """{"cmd":{"cwd":"/no/such/dir","cmdline":["true"],"env":{},"opts":{},"channels":[]},"flags":3}""", Errno.ENOENT, "chdir(/no/such/dir): No such file or directory" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Exec_BadRequest_ErrorSaysWhat(string payload, int errnum, string text)
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => ExecAsync(h, JsonNode.Parse(payload)!.AsObject()));
        Assert.Equal(errnum, ex.Errnum);
        Assert.Equal(text, ex.Message);
    }

    [Fact]
    public async Task Exec_Background_StartedOnlyAndTheOutputAndExitLogged()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var request = FluxCoreRexecFixtures.Request("/", "sh", "-c", "echo bg-out; exit 2");
        request["flags"] = 0;
        // Without the streaming flag: one response, {type:started, pid} (flux exec --bg reads pid).
        var resp = await Await.Within(h.RpcAsync("rexec.exec", request, 0), "the background exec's response");
        var pid = resp!["pid"]!.GetValue<int>();
        Assert.Equal("started", resp["type"]!.GetValue<string>());
        await Await.Within(WaitForNoProcessesAsync(h), "the background process to end");
        var dmesg = inst.Dmesg();
        Assert.Contains($"broker: sh[{pid}]: bg-out", dmesg, StringComparison.Ordinal);
        Assert.Contains($"broker: sh[{pid}]: Exit 2", dmesg, StringComparison.Ordinal);
        var credit = FluxCoreRexecFixtures.Request("/");
        credit["flags"] = 8;
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("rexec.exec", credit, 0));
        Assert.Equal("write-credit flag is not allowed in background mode", ex.Message);
    }

    private static async Task<(List<JsonObject> Responses, Message Request)> ExecAsync(FluxHandle h, JsonObject payload, Func<Message, JsonObject, Task>? onResponse = null)
    {
        var request = Message.Request("rexec.exec", payload, 0);
        var responses = new List<JsonObject>();
        // StreamAsync ends without an exception only at ENODATA: the end flux-core's client waits for.
        await Await.Within(Task.Run(async () =>
        {
            await foreach (var m in h.StreamAsync(request))
            {
                var o = m.GetJson();
                responses.Add(o);
                if (onResponse is not null)
                {
                    await onResponse(request, o);
                }
            }
        }), "rexec.exec's responses up to ENODATA");
        return (responses, request);
    }

    private static void Send(FluxHandle h, string topic, JsonObject payload)
    {
        var m = Message.Request(topic, payload, 0);
        m.Flags |= MessageFlags.NoResponse;
        h.Send(m);
    }

    private static string Type(JsonObject r) => r["type"]!.GetValue<string>();

    private static List<string> Data(List<JsonObject> responses, string stream) =>
        [.. responses.Where(r => Type(r) == "output" && r["io"]!["stream"]!.GetValue<string>() == stream && r["io"]!["data"] is not null)
            .Select(r => r["io"]!["data"]!.GetValue<string>())];

    // Polls rexec.list (each poll an RPC; the caller bounds the wait).
    private static async Task WaitForNoProcessesAsync(FluxHandle h)
    {
        while ((await h.RpcAsync("rexec.list", null, 0))!["procs"]!.AsArray().Count > 0)
        {
            await Task.Yield();
        }
    }
}
