// Standard input and output of tasks: separation, ordering, volume, raw bytes, and the stdin sources.
using System.Net.Sockets;
using System.Text;
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

public sealed class StdioTests
{
    [Fact]
    public async Task Start_StdoutAndStderr_SeparatedInOrder()
    {
        var result = await RunAsync(Shell("echo out1; echo err1 >&2; echo out2; echo err2 >&2; echo out3"));

        Assert.Equal("out1\nout2\nout3\n", result.StdoutText);
        Assert.Equal("err1\nerr2\n", result.StderrText);
    }

    [Fact]
    public async Task Start_TenMegabytesOnEachStream_ArriveIntact()
    {
        using var dir = new TempDir();
        var data = Pattern(10 * 1024 * 1024);
        var file = dir.File("data");
        await File.WriteAllBytesAsync(file, data);

        var result = await RunAsync(Command("sh", "-c", "cat \"$1\"; cat \"$1\" >&2", "sh", file));

        Assert.Equal(0, result.Status);
        Assert.True(data.AsSpan().SequenceEqual(result.Stdout), $"stdout differs ({result.Stdout.Length} bytes)");
        Assert.True(data.AsSpan().SequenceEqual(result.Stderr), $"stderr differs ({result.Stderr.Length} bytes)");
    }

    [Fact]
    public async Task Start_InvalidUtf8_ComesThroughRaw()
    {
        var result = await RunAsync(Shell(@"printf '\377\376\300a\342\202\n'"));

        Assert.Equal(new byte[] { 0xff, 0xfe, 0xc0, (byte)'a', 0xe2, 0x82, (byte)'\n' }, result.Stdout);
    }

    [Fact]
    public async Task Start_DefaultStdin_IsDevNull()
    {
        var result = await RunAsync(Shell("cat; readlink /proc/self/fd/0"));

        Assert.Equal(0, result.Status);
        Assert.Equal("/dev/null\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_StdinFromFile_TaskReadsIt()
    {
        using var dir = new TempDir();
        var data = Pattern(1024 * 1024 + 17);
        await File.WriteAllBytesAsync(dir.File("input"), data);

        // A relative path is taken from the task's working directory.
        var result = await RunAsync(new TaskStartInfo
        {
            Arguments = ["cat"],
            Environment = PathOnly,
            WorkingDirectory = dir.Path,
            Stdin = TaskStdinMode.File,
            StdinPath = "input",
        });

        Assert.True(data.AsSpan().SequenceEqual(result.Stdout), $"stdout differs ({result.Stdout.Length} bytes)");
    }

    [Fact]
    public async Task Start_StdinFromMissingFile_ReportsOpenError()
    {
        using var task = TaskProcess.Start(new TaskStartInfo
        {
            Arguments = ["cat"],
            Environment = PathOnly,
            Stdin = TaskStdinMode.File,
            StdinPath = "/nonexistent/input",
        });

        Assert.Equal("open(/nonexistent/input): No such file or directory", task.StartError);
        Assert.Equal(0, task.Pid);
        await Await.Within(task.Exited, "status of a failed start");
    }

    [Fact]
    public async Task Start_StdinFromSocket_EchoedAndEndedByShutdown()
    {
        var data = Pattern(3 * 1024 * 1024);
        using var task = TaskProcess.Start(new TaskStartInfo { Arguments = ["cat"], Environment = PathOnly, Stdin = TaskStdinMode.Socket });

        // Written while the output is drained, or both socket buffers would fill and stall.
        var collect = CollectAsync(task, "cat");
        await Await.Within(task.Stdin!.SendAsync(data, SocketFlags.None), "stdin to be written");
        task.Stdin.Shutdown(SocketShutdown.Send);
        var result = await collect;

        Assert.Equal(0, result.Status);
        Assert.True(data.AsSpan().SequenceEqual(result.Stdout), $"stdout differs ({result.Stdout.Length} bytes)");
    }

    [Fact]
    public async Task Start_StdinSocketDisposed_TaskSeesEndOfFile()
    {
        using var task = TaskProcess.Start(new TaskStartInfo { Arguments = ["wc", "-c"], Environment = PathOnly, Stdin = TaskStdinMode.Socket });

        await task.Stdin!.SendAsync(Encoding.ASCII.GetBytes("12345"), SocketFlags.None);
        task.Stdin.Dispose();
        var result = await CollectAsync(task, "wc -c");

        Assert.Equal("5", result.StdoutText.Trim());
    }

    /// <summary>Every byte value, mostly invalid UTF-8, shifting every 4 KiB so a lost or repeated block shows.</summary>
    private static byte[] Pattern(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)((i * 31) + (i / 4096));
        }
        return data;
    }
}
