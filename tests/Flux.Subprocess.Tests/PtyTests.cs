// Tasks on a pseudo-terminal: it is their stdio and controlling terminal, carries input, and has a size.
using System.Text;
using Flux.Subprocess;

namespace Flux.Subprocess.Tests;

public sealed class PtyTests
{
    private static TaskStartInfo OnPty(string script, int rows = 24, int columns = 80) => new()
    {
        Arguments = ["sh", "-c", script],
        Environment = TaskRunner.PathOnly,
        Pty = true,
        PtyRows = rows,
        PtyColumns = columns,
    };

    private static async Task<(int Status, string Output)> RunAsync(TaskProcess task, string what)
    {
        Assert.Null(task.StartError);
        Assert.Null(task.Stdout);
        var output = TaskRunner.ReadToEndAsync(task.Pty!);
        var status = await Await.Within(task.Exited, $"exit of '{what}'");
        return (status, Encoding.UTF8.GetString(await Await.Within(output, $"end of pty output of '{what}'")));
    }

    /// <summary>Reads until the output so far ends with <paramref name="marker"/>, leaving the rest unread.</summary>
    private static async Task<string> ReadUntilAsync(PtyStream pty, string marker)
    {
        var seen = new StringBuilder();
        var one = new byte[1];
        while (!seen.ToString().EndsWith(marker, StringComparison.Ordinal) && await pty.ReadAsync(one) == 1)
        {
            seen.Append((char)one[0]);
        }
        return seen.ToString();
    }

    [Fact]
    public async Task Start_Pty_TaskSeesTerminalOnAllStdio()
    {
        using var task = TaskProcess.Start(OnPty("test -t 0 && test -t 1 && test -t 2 && echo tty"));

        var (status, output) = await RunAsync(task, "test -t");

        Assert.Equal(0, status);
        // The terminal turns "\n" into "\r\n" (ONLCR).
        Assert.Equal("tty\r\n", output);
    }

    [Fact]
    public async Task Start_Pty_IsControllingTerminal()
    {
        // /dev/tty opens only for a process with a controlling terminal.
        using var task = TaskProcess.Start(OnPty("echo ctty > /dev/tty"));

        var (status, output) = await RunAsync(task, "echo > /dev/tty");

        Assert.Equal(0, status);
        Assert.Equal("ctty\r\n", output);
    }

    [Fact]
    public async Task Start_Pty_InputReachesTask()
    {
        using var task = TaskProcess.Start(OnPty("read line; echo \"got:$line\""));

        await task.Pty!.WriteAsync(Encoding.ASCII.GetBytes("hello\n"));
        var (status, output) = await RunAsync(task, "read line");

        Assert.Equal(0, status);
        Assert.Contains("got:hello\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PtyWindowSize_SeenByTaskAndChangeable()
    {
        using var task = TaskProcess.Start(OnPty("stty size; read x; stty size", rows: 30, columns: 100));
        var pty = task.Pty!;

        Assert.Equal((30, 100), pty.GetWindowSize());
        var first = await Await.Within(ReadUntilAsync(pty, "30 100\r\n"), "the first stty size");
        pty.SetWindowSize(40, 120);
        await pty.WriteAsync("\n"u8.ToArray());
        var (status, rest) = await RunAsync(task, "stty size");

        Assert.Equal(0, status);
        Assert.Equal("30 100\r\n", first);
        Assert.Equal((40, 120), pty.GetWindowSize());
        Assert.EndsWith("40 120\r\n", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PtyLargeOutput_DrainedBeforeEndOfFile()
    {
        using var task = TaskProcess.Start(OnPty("seq 1 50000"));

        var (status, output) = await RunAsync(task, "seq");

        Assert.Equal(0, status);
        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50000, lines.Length);
        Assert.Equal("50000", lines[^1]);
    }

    [Fact]
    public async Task Signal_PtyTask_KillsSession()
    {
        using var task = TaskProcess.Start(OnPty("sleep 100 & wait"));

        Assert.True(task.Signal(15));
        var (status, _) = await RunAsync(task, "sleep 100 & wait");

        Assert.Equal(143, WaitStatus.FluxExitCode(status));
    }

    [Fact]
    public void Start_PtyWithStdinSocket_Throws()
    {
        Assert.Throws<ArgumentException>(() => TaskProcess.Start(new TaskStartInfo
        {
            Arguments = ["true"],
            Environment = [],
            Pty = true,
            Stdin = TaskStdinMode.Socket,
        }));
    }
}
