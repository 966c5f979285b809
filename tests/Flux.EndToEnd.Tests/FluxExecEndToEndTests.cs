// flux exec through the real flux command against a running instance: output, exit code, stdin, ranks, signals (flux-exec(1)).
namespace Flux.EndToEnd.Tests;

public sealed class FluxExecEndToEndTests
{
    // How long a signalled command may take to end: generous for 2 loaded cores, far below a hang.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Exec_OutputAndExitCode_AsFluxCoresFluxExec()
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync("exec", "-r", "0", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Equal("out\n", r.Stdout);
        Assert.Equal("err\n0: Exit 3\n", r.Stderr);
        var quiet = await inst.RunAsync("exec", "-q", "-l", "sh", "-c", "echo out; exit 3");
        Assert.True(quiet.ExitCode == 3, quiet.ToString());
        Assert.Equal("0: out\n", quiet.Stdout);
        Assert.Equal("", quiet.Stderr);
        var ok = await inst.RunAsync("exec", "true");
        Assert.True(ok.ExitCode == 0 && ok.Stdout == "" && ok.Stderr == "", ok.ToString());
    }

    [Fact]
    public async Task Exec_Stdin_ForwardedToTheProcess()
    {
        await using var inst = await LiveInstance.StartAsync();
        var env = new Dictionary<string, string> { ["FLUX_URI"] = inst.Uri };
        var r = await FluxProcess.RunAsync(["exec", "cat"], stdin: "hello\nworld\n", env: env);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("hello\nworld\n", r.Stdout);
        // -n: the process's stdin is at end of file at once; ours is not read.
        var none = await FluxProcess.RunAsync(["exec", "-n", "cat"], stdin: "ignored\n", env: env);
        Assert.True(none.ExitCode == 0 && none.Stdout == "", none.ToString());
    }

    [Fact]
    public async Task Exec_EnvironmentAndDirectory_AreTheCallers()
    {
        await using var inst = await LiveInstance.StartAsync();
        var dir = Path.GetTempPath().TrimEnd('/');
        var r = await FluxProcess.RunAsync(["exec", "-d", dir, "sh", "-c", "pwd; echo $FLUX_EXEC_TEST_VAR; echo $FLUX_URI"],
            env: new Dictionary<string, string> { ["FLUX_URI"] = inst.Uri, ["FLUX_EXEC_TEST_VAR"] = "from-caller" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{dir}\nfrom-caller\n{inst.Uri}\n", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "-r", "1", "true" }, "flux-exec: One or more invalid --ranks specified: 1\n")]
    [InlineData(new[] { "-x", "0", "true" }, "flux-exec: No targets specified\n")]
    [InlineData(new[] { "-r", "x", "true" }, "flux-exec: failed to decode idset 'x'\n")]
    [InlineData(new[] { "--jobid", "f1", "true" }, "flux-exec: --jobid: Flux.NET's job shell has no rexec service to run processes in a job\n")]
    [InlineData(new[] { "--waitable", "--bg", "true" }, "flux-exec: --waitable: Flux.NET's subprocess server has no rexec.wait to collect the status of a waitable process\n")]
    [InlineData(new[] { "--stdin-flow", "maybe", "true" }, "flux-exec: Set --stdin-flow to on or off\n")]
    public async Task Exec_BadOption_RefusedSayingWhy(string[] args, string stderr)
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync(["exec", .. args]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(stderr, r.Stderr);
    }

    [Fact]
    public async Task Exec_CommandNotFound_Exit127WithFluxCoresMessage()
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync("exec", "no-such-command-x");
        Assert.True(r.ExitCode == 127, r.ToString());
        Assert.Equal("flux-exec: Error: rank 0: no-such-command-x: No such file or directory\n", r.Stderr);
    }

    [Fact]
    public async Task Exec_Help_ListsTheOptions()
    {
        var r = await FluxProcess.RunAsync("exec", "--help");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("Usage: flux exec [OPTIONS] COMMAND...\n", r.Stdout, StringComparison.Ordinal);
        foreach (var option in (string[])["--rank", "--exclude", "--dir", "--label-io", "--noinput", "--verbose", "--quiet", "--bg", "--setopt"])
        {
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exec_Background_PrintsRankAndPid()
    {
        await using var inst = await LiveInstance.StartAsync();
        var r = await inst.RunAsync("exec", "--bg", "true");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^0: [1-9][0-9]*\n$", r.Stdout);
    }

    [Theory]
    [InlineData("INT", "0: Interrupt\n")]
    [InlineData("TERM", "0: Terminated\n")]
    public async Task Exec_Signal_ForwardedAndTheProcessEnds(string signal, string outcome)
    {
        await using var inst = await LiveInstance.StartAsync();
        using var cmd = inst.Start("exec", "sleep", "1000");
        await WaitForProcessAsync(inst);
        cmd.Signal(signal);
        var r = await cmd.EndedAsync(Promptly);
        // The process got the signal and died of it: 128+N, as flux-core's flux exec exits.
        Assert.True(r.ExitCode == (signal == "INT" ? 130 : 143), r.ToString());
        // The command's stderr as LiveInstance collects it: line by line.
        Assert.Contains(outcome, r.Stderr, StringComparison.Ordinal);
    }

    // Polls rexec.list with flux rpc until the broker runs a process (the command under test started it).
    private static async Task WaitForProcessAsync(LiveInstance inst)
    {
        var deadline = DateTime.UtcNow + Await.Limit;
        while (DateTime.UtcNow < deadline)
        {
            var list = await inst.RunAsync("rpc", "rexec.list");
            if (list.ExitCode == 0 && list.Stdout.Contains("\"pid\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no rexec process started within {Await.Limit.TotalSeconds}s");
    }
}
