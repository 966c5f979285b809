// Reads and writes prefixed RFC 3 messages on a stream socket (the local connector's framing).
using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Message framing over a connected stream socket: a read loop that decodes whole messages and
/// hands them on in order, and a write queue drained by one writer that batches whatever is queued
/// into one send. A malformed message from the peer closes the connection with the codec's error.
/// </summary>
public sealed class FramedSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Channel<Message?> _out = Channel.CreateUnbounded<Message?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sendLock = new();
    private bool _writerBusy;
    private byte[]? _leftover;
    private readonly CancellationTokenSource _cts = new();
    private Action<Message>? _onMessage;
    private Action<Exception?>? _onClosed;
    private int _closed;
    private long _queued;

    /// <summary>Wraps a connected socket.</summary>
    public FramedSocket(Socket socket)
    {
        _socket = socket;
        // Synchronous sends must never block the router; async operations are unaffected.
        _socket.Blocking = false;
    }

    /// <summary>Starts the read and write loops.</summary>
    public void Start(Action<Message> onMessage, Action<Exception?> onClosed)
    {
        _onMessage = onMessage;
        _onClosed = onClosed;
        _ = Task.Run(ReadLoop);
        _ = Task.Run(WriteLoop);
    }

    /// <summary>
    /// Sends a message. When nothing is queued, it is written at once on the caller's thread with a
    /// non-blocking send (no thread hand-off on the hot path); if the socket cannot take it all, the
    /// rest is queued and the writer task takes over, keeping order. Throws ECONNRESET once closed.
    /// </summary>
    public void Send(Message message)
    {
        if (IsClosed)
        {
            throw new FluxException(Errno.ECONNRESET, "connection closed");
        }
        lock (_sendLock)
        {
            if (!_writerBusy)
            {
                var size = MessageCodec.PrefixSize + MessageCodec.GetEncodedSize(message);
                var buf = ArrayPool<byte>.Shared.Rent(size);
                var sent = 0;
                try
                {
                    MessageCodec.WritePrefix(buf, size - MessageCodec.PrefixSize);
                    MessageCodec.Encode(message, buf.AsSpan(MessageCodec.PrefixSize));
                    sent = _socket.Send(buf, 0, size, SocketFlags.None, out var err);
                    if (err is not (SocketError.Success or SocketError.WouldBlock))
                    {
                        Close(null);
                        throw new FluxException(Errno.ECONNRESET, "connection closed");
                    }
                    if (sent == size)
                    {
                        return;
                    }
                    _leftover = buf.AsSpan(Math.Max(sent, 0), size - Math.Max(sent, 0)).ToArray();
                    Interlocked.Add(ref _queued, _leftover.Length);
                }
                catch (ObjectDisposedException)
                {
                    throw new FluxException(Errno.ECONNRESET, "connection closed");
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buf);
                }
                _writerBusy = true;
                _out.Writer.TryWrite(null);
                return;
            }
            if (!_out.Writer.TryWrite(message))
            {
                throw new FluxException(Errno.ECONNRESET, "connection closed");
            }
            Interlocked.Add(ref _queued, MessageCodec.PrefixSize + MessageCodec.GetEncodedSize(message));
        }
    }

    /// <summary>
    /// Bytes sent but still waiting for the peer to read them, beyond what the writer is sending now
    /// (the socket's own buffer and the batch in flight are not counted): how far a peer that does
    /// not read has fallen behind.
    /// </summary>
    public long QueuedBytes => Interlocked.Read(ref _queued);

    /// <summary>Whether the connection has closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _out.Writer.TryComplete();
        Close(null);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Close(Exception? error)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _out.Writer.TryComplete();
        _cts.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
        _socket.Dispose();
        _onClosed?.Invoke(error);
    }

    private async Task ReadLoop()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var start = 0;
        var end = 0;
        Exception? error = null;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                var n = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                end += n;
                while (end - start >= MessageCodec.PrefixSize)
                {
                    var size = MessageCodec.ReadPrefix(buffer.AsSpan(start, MessageCodec.PrefixSize));
                    var total = MessageCodec.PrefixSize + size;
                    if (end - start < total)
                    {
                        if (total > buffer.Length)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent(total);
                            Buffer.BlockCopy(buffer, start, bigger, 0, end - start);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                            end -= start;
                            start = 0;
                        }
                        break;
                    }
                    var msg = MessageCodec.Decode(buffer.AsSpan(start + MessageCodec.PrefixSize, size));
                    start += total;
                    _onMessage!(msg);
                }
                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closed locally.
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.OperationAborted)
        {
            // The peer went away: a normal end.
        }
        catch (Exception ex) when (ex is MessageFormatException or SocketException or ObjectDisposedException)
        {
            error = ex;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Close(error);
        }
    }

    private async Task WriteLoop()
    {
        var writer = new ArrayBufferWriter<byte>(64 * 1024);
        var reader = _out.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                writer.ResetWrittenCount();
                lock (_sendLock)
                {
                    if (_leftover is { } rest)
                    {
                        writer.Write(rest);
                        _leftover = null;
                    }
                    while (writer.WrittenCount < 256 * 1024 && reader.TryRead(out var msg))
                    {
                        if (msg is not null)
                        {
                            MessageCodec.EncodeWithPrefix(msg, writer);
                        }
                    }
                    // What the batch took is what Send counted: the leftover and each encoded message.
                    Interlocked.Add(ref _queued, -writer.WrittenCount);
                }
                var data = writer.WrittenMemory;
                while (data.Length > 0)
                {
                    var n = await _socket.SendAsync(data, SocketFlags.None, _cts.Token).ConfigureAwait(false);
                    data = data[n..];
                }
                lock (_sendLock)
                {
                    // Nothing more queued: later sends may write directly again.
                    if (!reader.TryPeek(out _))
                    {
                        _writerBusy = false;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Close(null);
        }
    }
}
