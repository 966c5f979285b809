// Starts test tasks and collects their output and status, each wait bounded.
using System.Net.Sockets;
using Flux.Subprocess;

namespace Flux.Subprocess.Tests;

internal static class TaskRunner
{
    public static readonly string[] PathOnly = ["PATH=/usr/bin:/bin"];

    public static TaskStartInfo Command(params string[] argv) => new() { Arguments = argv, Environment = PathOnly };

    public static TaskStartInfo Shell(string script) => Command("sh", "-c", script);

    /// <summary>Runs a task that must start, to the end of its output and its exit.</summary>
    public static async Task<TaskResult> RunAsync(TaskStartInfo info)
    {
        using var task = TaskProcess.Start(info);
        Assert.Null(task.StartError);
        return await CollectAsync(task, info.Arguments[^1]);
    }

    public static async Task<TaskResult> CollectAsync(TaskProcess task, string what)
    {
        var stdout = ReadToEndAsync(task.Stdout!);
        var stderr = ReadToEndAsync(task.Stderr!);
        var status = await Await.Within(task.Exited, $"exit of '{what}'");
        return new TaskResult(status,
            await Await.Within(stdout, $"end of stdout of '{what}'"),
            await Await.Within(stderr, $"end of stderr of '{what}'"));
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        return await ReadToEndAsync(stream);
    }

    public static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all);
        return all.ToArray();
    }

    /// <summary>Reads one '\n'-terminated line (without it), leaving the rest of the stream unread.</summary>
    public static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one, SocketFlags.None) == 1 && one[0] != '\n')
        {
            line.Add(one[0]);
        }
        return System.Text.Encoding.UTF8.GetString([.. line]);
    }
}
