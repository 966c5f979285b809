// One process of the rexec service: the responses to its exec request (RFC 42), its stdin from rexec.write, its end.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Subprocess;

namespace Flux.Core.Rexec;

/// <summary>
/// A process started by <c>rexec.exec</c>. In the foreground (a streaming request) its client gets, as
/// src/common/libsubprocess/server.c sends them: <c>started</c>, <c>add-credit</c> (with the
/// write-credit flag), an <c>output</c> response per line of a forwarded stream, <c>finished</c> with
/// the wait status once it exits, then the end of file of each forwarded stream (stderr, then stdout)
/// once both are closed, then ENODATA. In the background (no streaming flag) it gets <c>started</c>
/// only; stdin is at end of file and the output and exit go to the broker's log.
/// </summary>
internal sealed class RexecProcess
{
    private const int EPIPE = 32;

    private readonly RexecServer _server;
    private readonly Channel<byte[]> _stdin = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _stdinQueued;
    private int _stdinClosed;
    private int _failed;

    public RexecProcess(RexecServer server, Message request, RexecCommand command, RexecFlags flags, bool background, TaskProcess task)
    {
        _server = server;
        Request = request;
        Command = command;
        Flags = flags;
        Background = background;
        Process = task;
    }

    /// <summary>The exec request, to which every response goes.</summary>
    public Message Request { get; }

    public RexecCommand Command { get; }

    public RexecFlags Flags { get; }

    public bool Background { get; }

    public TaskProcess Process { get; }

    public int Pid => Process.Pid;

    /// <summary>Whether the process has not exited yet (rexec.list's state R, else Z).</summary>
    public bool Active => !Process.Exited.IsCompleted;

    // A foreground client hears from the process until an error response ended its request.
    private bool Listening => !Background && Volatile.Read(ref _failed) == 0;

    /// <summary>Forwards output and stdin until the process has exited and its output is drained.</summary>
    public async Task RunAsync()
    {
        var stdin = Background ? Task.CompletedTask : WriteStdinAsync();
        if (Background)
        {
            // RFC 42: a background process's stdin is at end of file.
            CloseStdin();
            try
            {
                Process.Stdin!.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The process is gone already.
            }
        }
        var stdout = PumpAsync("stdout", Process.Stdout!, Command.StdoutLineBuffered, Command.StdoutBufferSize);
        var stderr = PumpAsync("stderr", Process.Stderr!, Command.StderrLineBuffered, Command.StderrBufferSize);
        var status = await Process.Exited.ConfigureAwait(false);
        if (Listening)
        {
            _server.Respond(Request, new JsonObject { ["type"] = "finished", ["status"] = status });
        }
        if (Background)
        {
            LogExit(status);
        }
        _stdin.Writer.TryComplete();
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        if (Listening)
        {
            foreach (var stream in (string[])["stderr", "stdout"])
            {
                if (Forwarded(stream))
                {
                    _server.Respond(Request, Output(stream, [], eof: true));
                }
            }
            _server.RespondError(Request, Errno.ENODATA, null);
        }
        // Closing our end of stdin ends a write still blocked on a reader that never came.
        Process.Dispose();
        await stdin.ConfigureAwait(false);
    }

    /// <summary>
    /// Data for stdin from rexec.write. More than stdin's buffer waiting to be written, data after end
    /// of file, or a stream other than stdin is an internal fatal error, as flux_subprocess_write's
    /// failure is in flux-core: the client gets the error and the process is killed.
    /// </summary>
    public void Write(string stream, byte[] data, bool eof)
    {
        if (!Active || Volatile.Read(ref _failed) != 0)
        {
            // As flux-core: data for a process that has exited is dropped without a word.
            return;
        }
        if (stream != "stdin")
        {
            Fail(Errno.EINVAL, $"write to '{stream}': the only writable stream is stdin");
            return;
        }
        if (data.Length > 0)
        {
            if (Volatile.Read(ref _stdinClosed) != 0)
            {
                Fail(EPIPE, "write to stdin after its end of file");
                return;
            }
            if (Interlocked.Add(ref _stdinQueued, data.Length) > Command.StdinBufferSize)
            {
                Fail(Errno.ENOSPC, $"stdin: more than its buffer ({Command.StdinBufferSize} bytes) waiting to be written");
                return;
            }
            _stdin.Writer.TryWrite(data);
        }
        if (eof)
        {
            CloseStdin();
        }
    }

    /// <summary>Sends a signal to the process's group; false once it has exited.</summary>
    public bool Signal(int signum) => Process.Signal(signum);

    /// <summary>The rexec.list entry (the keys of flux-core's process_info).</summary>
    public JsonObject Info()
    {
        var name = Command.Argv[0];
        if (name == "flux" && Command.Argv.Count > 1)
        {
            name = $"{name} {Command.Argv[1]}";
        }
        return new JsonObject
        {
            ["pid"] = Pid,
            ["cmd"] = name,
            ["label"] = Command.Label ?? string.Empty,
            ["state"] = Active ? "R" : "Z",
            ["bg"] = Background,
            ["waitable"] = false,
            ["attached"] = !Background,
        };
    }

    private void CloseStdin()
    {
        Volatile.Write(ref _stdinClosed, 1);
        _stdin.Writer.TryComplete();
    }

    private void Fail(int errnum, string what)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }
        RexecLog.Fatal(_server.Logger, Pid, what);
        if (!Background)
        {
            _server.RespondError(Request, errnum, $"internal fatal error: {Marshal.GetPInvokeErrorMessage(errnum)}: {what}");
        }
        Process.Signal(9);
    }

    private bool Forwarded(string stream) =>
        (Flags & (stream == "stdout" ? RexecFlags.Stdout : RexecFlags.Stderr)) != 0;

    private JsonObject Output(string stream, ReadOnlySpan<byte> data, bool eof) => new()
    {
        ["type"] = "output",
        ["pid"] = Pid,
        ["io"] = IoEncoding.Encode(stream, _server.RankText, data, eof),
    };

    private async Task WriteStdinAsync()
    {
        var socket = Process.Stdin!;
        try
        {
            await foreach (var data in _stdin.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                for (var sent = 0; sent < data.Length;)
                {
                    sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
                }
                Interlocked.Add(ref _stdinQueued, -data.Length);
                if ((Flags & RexecFlags.WriteCredit) != 0 && Listening)
                {
                    _server.Respond(Request, new JsonObject { ["type"] = "add-credit", ["channels"] = new JsonObject { ["stdin"] = data.Length } });
                }
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The process closed its stdin or is gone: what was not written is dropped, as flux-core does.
        }
    }

    private async Task PumpAsync(string stream, Socket socket, bool lineBuffered, int bufferSize)
    {
        var buf = new byte[64 * 1024];
        using var partial = new MemoryStream();
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buf, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                Consume(stream, buf.AsSpan(0, n), lineBuffered ? partial : null, bufferSize);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Our end was closed (the server is shutting down): the output ends here.
        }
        if (partial.Length > 0)
        {
            Emit(stream, partial.GetBuffer().AsSpan(0, (int)partial.Length));
        }
    }

    // Line buffering as flux_subprocess_getline: a response per complete line; an unfinished line is
    // held until its newline, the end of the stream, or a full buffer.
    private void Consume(string stream, ReadOnlySpan<byte> chunk, MemoryStream? partial, int bufferSize)
    {
        if (partial is null)
        {
            Emit(stream, chunk);
            return;
        }
        while (!chunk.IsEmpty)
        {
            var nl = chunk.IndexOf((byte)'\n');
            if (nl < 0)
            {
                partial.Write(chunk);
                if (partial.Length >= bufferSize)
                {
                    Emit(stream, partial.GetBuffer().AsSpan(0, (int)partial.Length));
                    partial.SetLength(0);
                }
                return;
            }
            if (partial.Length == 0)
            {
                Emit(stream, chunk[..(nl + 1)]);
            }
            else
            {
                partial.Write(chunk[..(nl + 1)]);
                Emit(stream, partial.GetBuffer().AsSpan(0, (int)partial.Length));
                partial.SetLength(0);
            }
            chunk = chunk[(nl + 1)..];
        }
    }

    private void Emit(string stream, ReadOnlySpan<byte> data)
    {
        if (Listening && Forwarded(stream))
        {
            _server.Respond(Request, Output(stream, data, eof: false));
        }
        if (Background)
        {
            var label = Command.Label ?? Path.GetFileName(Command.Argv[0]);
            var line = Encoding.UTF8.GetString(data).TrimEnd('\n');
            if (stream == "stderr")
            {
                RexecLog.Stderr(_server.Logger, label, Pid, line);
            }
            else
            {
                RexecLog.Stdout(_server.Logger, label, Pid, line);
            }
        }
    }

    private void LogExit(int status)
    {
        var prefix = Command.Label is { } l ? l + ": " : string.Empty;
        if (WaitStatus.IsSignaled(status))
        {
            var signal = WaitStatus.TermSignal(status);
            RexecLog.Signaled(_server.Logger, prefix, Command.Argv[0], Pid, signal);
        }
        else
        {
            var command = Path.GetFileName(Command.Argv[0]);
            var code = WaitStatus.ExitStatus(status);
            RexecLog.Exited(_server.Logger, prefix, command, Pid, code);
        }
    }
}
