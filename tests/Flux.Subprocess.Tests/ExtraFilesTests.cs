// Channels a task inherits beyond its stdio (a PMI_FD socket): numbering, both directions, with a pty.
using System.Net.Sockets;
using System.Text;
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

public sealed class ExtraFilesTests
{
    [Fact]
    public async Task SocketPair_Create_EndsConnectedBothWays()
    {
        var (ours, theirs) = SocketPair.Create();
        using (ours)
        using (theirs)
        {
            await ours.SendAsync("ping\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("ping", await Await.Within(ReadLineAsync(theirs), "ping on the other end"));
            await theirs.SendAsync("pong\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("pong", await Await.Within(ReadLineAsync(ours), "pong on the first end"));
        }
    }

    [Fact]
    public async Task Start_TwoChannels_Fd3And4InOrderOfExtraFiles()
    {
        var (first, firstTask) = SocketPair.Create();
        var (second, secondTask) = SocketPair.Create();
        using (first)
        using (second)
        {
            var run = RunAsync(new TaskStartInfo
            {
                Arguments = ["sh", "-c", "echo one >&3; echo two >&4; ls /proc/self/fd"],
                Environment = PathOnly,
                ExtraFiles = [firstTask.SafeHandle, secondTask.SafeHandle],
            });
            // The task holds its copies now: ours must go for its ends to reach end of file.
            firstTask.Dispose();
            secondTask.Dispose();

            var result = await run;

            Assert.Equal("one\n", Encoding.UTF8.GetString(await Await.Within(ReadToEndAsync(first), "end of fd 3")));
            Assert.Equal("two\n", Encoding.UTF8.GetString(await Await.Within(ReadToEndAsync(second), "end of fd 4")));
            // ls opens one more of its own.
            Assert.Equal(["0", "1", "2", "3", "4", "5"], result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task Start_Channel_RequestAndResponseWhileTaskRuns()
    {
        var (ours, theirs) = SocketPair.Create();
        using (ours)
        {
            using var task = TaskProcess.Start(new TaskStartInfo
            {
                Arguments = ["sh", "-c", "echo hello >&3; read -r answer <&3; echo \"got $answer\""],
                Environment = PathOnly,
                ExtraFiles = [theirs.SafeHandle],
            });
            theirs.Dispose();
            Assert.Null(task.StartError);

            Assert.Equal("hello", await Await.Within(ReadLineAsync(ours), "the task's request on fd 3"));
            await ours.SendAsync("world\n"u8.ToArray(), SocketFlags.None);
            var result = await CollectAsync(task, "request/response on fd 3");

            Assert.Equal(0, result.Status);
            Assert.Equal("got world\n", result.StdoutText);
        }
    }

    [Fact]
    public async Task Start_ChannelWithPty_StillFd3()
    {
        var (ours, theirs) = SocketPair.Create();
        using (ours)
        {
            using var task = TaskProcess.Start(new TaskStartInfo
            {
                Arguments = ["sh", "-c", "test -t 1 && echo on-a-tty >&3"],
                Environment = PathOnly,
                Pty = true,
                ExtraFiles = [theirs.SafeHandle],
            });
            theirs.Dispose();
            Assert.Null(task.StartError);
            var output = ReadToEndAsync(task.Pty!);

            Assert.Equal("on-a-tty\n", Encoding.UTF8.GetString(await Await.Within(ReadToEndAsync(ours), "end of fd 3 of a task on a pty")));
            Assert.Equal(0, WaitStatus.FluxExitCode(await Await.Within(task.Exited, "exit of the task on a pty")));
            await Await.Within(output, "end of the pty output");
        }
    }
}
