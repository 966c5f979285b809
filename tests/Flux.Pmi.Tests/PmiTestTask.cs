// One simulated task on a PMI_FD socketpair: its requests served by a SimplePmiServer, its responses read back.
using System.Net.Sockets;
using System.Text;
using Flux.ShellPlugins.Pmi;
using Flux.Subprocess;

namespace Flux.Pmi.Tests;

internal sealed class PmiTestTask : IAsyncDisposable
{
    private readonly Socket _task;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    public PmiTestTask(SimplePmiServer server, int rank)
    {
        var (shellEnd, taskEnd) = SocketPair.Create();
        _task = taskEnd;
        _stream = new NetworkStream(taskEnd, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.Latin1);
        Rank = rank;
        var shellStream = new NetworkStream(shellEnd, ownsSocket: true);
        Served = ServeThenClose(server, rank, shellStream);
    }

    public int Rank { get; }

    /// <summary>The server's loop for this task: completes at end of stream, faults on a protocol error.</summary>
    public Task Served { get; }

    public async Task SendAsync(string line) => await _stream.WriteAsync(Encoding.Latin1.GetBytes(line + "\n"));

    public Task<string?> ReadAsync() => _reader.ReadLineAsync();

    /// <summary>Sends a request and returns the response line, bounded.</summary>
    public async Task<string> AskAsync(string line)
    {
        await SendAsync(line);
        return await Await.Within(ReadAsync(), $"task {Rank}'s answer to '{line}'") ?? throw new EndOfStreamException($"no answer to '{line}'");
    }

    /// <summary>The task closes its end, as one that exits does.</summary>
    public void Close() => _task.Shutdown(SocketShutdown.Both);

    /// <summary>The task's end goes away with a response unread, as when a task is killed mid-request: the shell's end is reset.</summary>
    public void Abandon() => _task.Close();

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
    }

    private static async Task ServeThenClose(SimplePmiServer server, int rank, NetworkStream shellStream)
    {
        await using (shellStream)
        {
            await server.ServeAsync(rank, shellStream, CancellationToken.None);
        }
    }
}
