// Real task processes wired to a SimplePmiServer the way the shell's PMI plugin wires them: PMI_FD=3, PMI_RANK, PMI_SIZE.
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Flux.ShellPlugins.Pmi;
using Flux.Subprocess;

namespace Flux.Pmi.Tests;

internal static class PmiTaskGroup
{
    internal sealed record TaskOutput(int Rank, int ExitCode, string Stdout, string Stderr);

    /// <summary>Starts <paramref name="size"/> copies of argv, each with its PMI channel served, and waits for all of them.</summary>
    public static async Task<TaskOutput[]> RunAsync(SimplePmiServer server, int size, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env = null)
    {
        var runs = new List<Task<TaskOutput>>();
        for (var rank = 0; rank < size; rank++)
        {
            runs.Add(RunOneAsync(server, rank, size, argv, env));
        }
        return await Task.WhenAll(runs);
    }

    private static async Task<TaskOutput> RunOneAsync(SimplePmiServer server, int rank, int size, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env)
    {
        var (ours, theirs) = SocketPair.Create();
        var environment = new List<string>
        {
            "PATH=/usr/bin:/bin",
            "HOME=" + Path.GetTempPath(),
            "DOTNET_CLI_TELEMETRY_OPTOUT=1",
            "PMI_FD=3",
            "PMI_RANK=" + rank.ToString(CultureInfo.InvariantCulture),
            "PMI_SIZE=" + size.ToString(CultureInfo.InvariantCulture),
        };
        environment.AddRange((env ?? new Dictionary<string, string>()).Select(kv => kv.Key + "=" + kv.Value));
        using var task = TaskProcess.Start(new TaskStartInfo { Arguments = argv, Environment = environment, ExtraFiles = [theirs.SafeHandle] });
        theirs.Dispose();
        Assert.Null(task.StartError);
        await using var channel = new NetworkStream(ours, ownsSocket: true);
        var served = server.ServeAsync(rank, channel, CancellationToken.None);
        var stdout = ReadAllAsync(task.Stdout!);
        var stderr = ReadAllAsync(task.Stderr!);
        var status = await Await.Within(task.Exited, $"exit of task {rank} of '{string.Join(' ', argv)}'");
        await Await.Within(served, $"end of task {rank}'s PMI channel");
        return new TaskOutput(rank, WaitStatus.FluxExitCode(status), await Await.Within(stdout, "stdout"), await Await.Within(stderr, "stderr"));
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
