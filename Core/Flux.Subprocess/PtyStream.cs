// The master side of a task's pseudo-terminal: the task's output to read, its keyboard input to write.
using Microsoft.Win32.SafeHandles;

namespace Flux.Subprocess;

/// <summary>
/// A non-seekable stream over a pty master. Reads return the task's terminal output (with the
/// terminal's own processing, such as "\n" becoming "\r\n", and echo of what was written); a read
/// returns 0 once every process has closed the terminal. Asynchronous reads and writes wait on a
/// shared epoll thread, not on a thread per task. At most one read and one write may be pending.
/// </summary>
public sealed class PtyStream : Stream
{
    private readonly SafeFileHandle _master;
    private readonly int _fd;
    private readonly FdReadiness _readiness = new();
    private readonly ulong _token;
    private int _disposed;

    internal PtyStream(int masterFd)
    {
        _fd = masterFd;
        _master = new SafeFileHandle(masterFd, ownsHandle: true);
        var flags = LibC.fcntl(masterFd, LibC.FGetFl, 0);
        if (flags < 0 || LibC.fcntl(masterFd, LibC.FSetFl, flags | LibC.ONonBlock) < 0)
        {
            var errno = LibC.Errno;
            _master.Dispose();
            throw new IOException($"fcntl(O_NONBLOCK): {LibC.StrError(errno)}");
        }
        try
        {
            _token = FdPoller.Register(masterFd, _readiness);
        }
        catch
        {
            _master.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => _disposed == 0;

    /// <inheritdoc/>
    public override bool CanWrite => _disposed == 0;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Sets the terminal's window size (TIOCSWINSZ); the task's foreground group gets SIGWINCH.</summary>
    public unsafe void SetWindowSize(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, ushort.MaxValue);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var size = new LibC.WinSize { Rows = (ushort)rows, Columns = (ushort)columns };
        if (LibC.ioctl(_master, LibC.TiocSWinSz, &size) < 0)
        {
            throw new IOException($"ioctl(TIOCSWINSZ): {LibC.StrError(LibC.Errno)}");
        }
    }

    /// <summary>The terminal's window size (TIOCGWINSZ).</summary>
    public unsafe (int Rows, int Columns) GetWindowSize()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        LibC.WinSize size;
        if (LibC.ioctl(_master, LibC.TiocGWinSz, &size) < 0)
        {
            throw new IOException($"ioctl(TIOCGWINSZ): {LibC.StrError(LibC.Errno)}");
        }
        return (size.Rows, size.Columns);
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var edges = _readiness.ReadEdges;
            if (TryRead(buffer.Span, out var n))
            {
                return n;
            }
            await _readiness.WaitReadableAsync(edges, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var edges = _readiness.WriteEdges;
            if (TryWrite(buffer.Span, out var n))
            {
                buffer = buffer[n..];
                continue;
            }
            await _readiness.WaitWritableAsync(edges, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryRead(buffer, out var n))
            {
                return n;
            }
            Poll(LibC.PollIn);
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (TryWrite(buffer, out var n))
            {
                buffer = buffer[n..];
                continue;
            }
            Poll(LibC.PollOut);
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writes need no flushing: each goes straight to the terminal.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _readiness.Close();
            FdPoller.Unregister(_fd, _token);
            // SafeFileHandle defers the close until reads or writes in flight return, so the
            // descriptor number cannot be reused under them.
            _master.Dispose();
        }
        base.Dispose(disposing);
    }

    private unsafe bool TryRead(Span<byte> buffer, out int count)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (buffer.IsEmpty)
        {
            // read(2) of nothing would return 0, which means end of file here.
            count = 0;
            return true;
        }
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.read(_master, p, buffer.Length);
                if (n >= 0)
                {
                    count = (int)n;
                    return true;
                }
                var errno = LibC.Errno;
                switch (errno)
                {
                    case LibC.EINTR:
                        continue;
                    case LibC.EAGAIN:
                        count = 0;
                        return false;
                    case LibC.EIO:
                        // Linux reports a master whose slave side is closed everywhere as EIO,
                        // after the buffered output has been read: that is the end of the stream.
                        count = 0;
                        return true;
                    default:
                        throw new IOException($"read(pty): {LibC.StrError(errno)}");
                }
            }
        }
    }

    private unsafe bool TryWrite(ReadOnlySpan<byte> buffer, out int count)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.write(_master, p, buffer.Length);
                if (n >= 0)
                {
                    count = (int)n;
                    return true;
                }
                var errno = LibC.Errno;
                if (errno == LibC.EINTR)
                {
                    continue;
                }
                if (errno == LibC.EAGAIN)
                {
                    count = 0;
                    return false;
                }
                throw new IOException($"write(pty): {LibC.StrError(errno)}");
            }
        }
    }

    private unsafe void Poll(short events)
    {
        var pfd = new LibC.PollFd { Fd = _fd, Events = events };
        while (LibC.poll(&pfd, 1, -1) < 0 && LibC.Errno == LibC.EINTR)
        {
        }
    }
}
