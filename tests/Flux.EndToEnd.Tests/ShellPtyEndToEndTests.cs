// The pty shell options end to end (flux-shell-options(7)): -o pty, pty.ranks, pty.capture, and
// pty.interactive refused rather than ignored.
namespace Flux.EndToEnd.Tests;

public sealed class ShellPtyEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-pty-");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Pty_TaskOutputComesThroughItsTerminal_IntoTheOutputEventlog()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run -o pty tty; flux run -o pty sh -c 'test -t 0 && test -t 1 && test -t 2 && echo all-on-a-tty'; " +
            "id=$(flux submit -o pty sh -c 'echo logged') && flux job attach $id >/dev/null && flux job eventlog -p output $id | grep -c logged");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^/dev/pts/\d+\r?$", r.Stdout);
        Assert.Contains("all-on-a-tty", r.Stdout, StringComparison.Ordinal);
        // What the task wrote to its terminal is in the output eventlog, as stdout.
        Assert.EndsWith("\n1\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PtyRanks_OnlyThoseTasksRunOnATerminal_ObjectFormDefaultsToRankZero()
    {
        const string Probe = "sh -c 'if test -t 1; then echo tty; else echo notty; fi'";
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            $"flux run -n3 -l -o pty.ranks=1-2 {Probe} | sort; echo --; flux run -n2 -l -o pty.capture {Probe} | sort; echo --; " +
            $"flux run -n2 -l -o pty.ranks=all {Probe} | sort; echo --; flux run -n2 -l -o pty.ranks=1 {Probe} | sort");
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Replace("\r", string.Empty, StringComparison.Ordinal).Split("--\n");
        Assert.Equal("0: notty\n1: tty\n2: tty\n", parts[0]);
        Assert.Equal("0: tty\n1: notty\n", parts[1]);
        Assert.Equal("0: tty\n1: tty\n", parts[2]);
        Assert.Equal("0: notty\n1: tty\n", parts[3]);
    }

    [Fact]
    public async Task PtyInteractive_RefusedByFluxRunAndByFluxJobSubmit_NotAcceptedAndIgnored()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c",
            "flux run -o pty.interactive true; echo run=$?; flux run -o pty.ranks=x true; echo ranks=$?; " +
            $"flux run --dry-run true | sed 's/\"options\": *{{/\"options\":{{\"pty\":{{\"interactive\":1}},/' > {_dir}/js.json && " +
            $"grep -q interactive {_dir}/js.json && flux job submit {_dir}/js.json; echo submit=$?");
        Assert.Contains("flux-run: -o pty.interactive: not supported yet", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("run=1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("-o pty.ranks: expected \"all\", a task rank or an idset", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("ranks=1", r.Stdout, StringComparison.Ordinal);
        // A jobspec written by hand is checked the same way.
        Assert.Contains("flux-job: -o pty.interactive: not supported yet", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("submit=1", r.Stdout, StringComparison.Ordinal);
    }
}
