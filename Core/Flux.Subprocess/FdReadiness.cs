// Readiness of one non-blocking descriptor, as reported by FdPoller, turned into awaitable waits.
namespace Flux.Subprocess;

// The poller is edge-triggered, so an edge can arrive between a read that returned EAGAIN and the
// wait that follows it. Each direction therefore counts its edges: a caller notes the count before
// its attempt and waits only if no edge arrived since, which never misses a wake-up.
internal sealed class FdReadiness
{
    private readonly Lock _gate = new();
    private readonly Direction _read = new();
    private readonly Direction _write = new();
    private bool _closed;

    public long ReadEdges
    {
        get
        {
            lock (_gate)
            {
                return _read.Edges;
            }
        }
    }

    public long WriteEdges
    {
        get
        {
            lock (_gate)
            {
                return _write.Edges;
            }
        }
    }

    public Task WaitReadableAsync(long seenEdges, CancellationToken cancellationToken) =>
        Wait(_read, seenEdges, cancellationToken);

    public Task WaitWritableAsync(long seenEdges, CancellationToken cancellationToken) =>
        Wait(_write, seenEdges, cancellationToken);

    /// <summary>Called on the poller thread with the epoll event mask.</summary>
    public void OnEvents(uint events)
    {
        TaskCompletionSource? reader = null;
        TaskCompletionSource? writer = null;
        lock (_gate)
        {
            // Errors and hang-ups wake both directions: the next read or write reports them.
            if ((events & (LibC.EpollIn | LibC.EpollRdHup | LibC.EpollHup | LibC.EpollErr)) != 0)
            {
                reader = _read.Edge();
            }
            if ((events & (LibC.EpollOut | LibC.EpollHup | LibC.EpollErr)) != 0)
            {
                writer = _write.Edge();
            }
        }
        reader?.TrySetResult();
        writer?.TrySetResult();
    }

    /// <summary>Fails pending and future waits: the descriptor is being closed.</summary>
    public void Close()
    {
        TaskCompletionSource? reader;
        TaskCompletionSource? writer;
        lock (_gate)
        {
            _closed = true;
            (reader, _read.Waiter) = (_read.Waiter, null);
            (writer, _write.Waiter) = (_write.Waiter, null);
        }
        reader?.TrySetException(new ObjectDisposedException(nameof(PtyStream)));
        writer?.TrySetException(new ObjectDisposedException(nameof(PtyStream)));
    }

    private Task Wait(Direction direction, long seenEdges, CancellationToken cancellationToken)
    {
        TaskCompletionSource pending;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(PtyStream));
            if (direction.Edges != seenEdges)
            {
                return Task.CompletedTask;
            }
            if (direction.Waiter is not null)
            {
                throw new InvalidOperationException("another read or write in the same direction is already pending on this pty");
            }
            pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            direction.Waiter = pending;
        }
        if (!cancellationToken.CanBeCanceled)
        {
            return pending.Task;
        }
        // A cancelled wait must also give up its slot, or the next read would find it taken.
        var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (direction.Waiter == pending)
                {
                    direction.Waiter = null;
                }
            }
            pending.TrySetCanceled(cancellationToken);
        });
        return WaitRegisteredAsync(pending.Task, registration);
    }

    // The registration lives exactly as long as the wait, and the caller awaits this task, so
    // however the wait ends (edge, cancellation, close) its outcome reaches the caller.
    private static async Task WaitRegisteredAsync(Task pending, CancellationTokenRegistration registration)
    {
        using (registration)
        {
            await pending.ConfigureAwait(false);
        }
    }

    private sealed class Direction
    {
        public long Edges;
        public TaskCompletionSource? Waiter;

        public TaskCompletionSource? Edge()
        {
            Edges++;
            var waiter = Waiter;
            Waiter = null;
            return waiter;
        }
    }
}
