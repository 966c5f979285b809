// A single-threaded synchronization context: the loop of one module (an actor).
namespace Flux.Core.Handle;

/// <summary>
/// Runs posted work items one at a time on a dedicated thread, and is installed as that thread's
/// <see cref="SynchronizationContext"/>, so every <c>await</c> in module code resumes on the same
/// loop: module code needs no locks. Work items run in the order they are posted.
/// </summary>
public sealed class ActorContext : SynchronizationContext, IDisposable
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _lock = new();
    private bool _waiting;
    private readonly Thread _thread;
    private readonly Action<Exception> _onUnhandled;
    private int _completed;

    /// <summary>Starts the loop thread. Exceptions escaping a work item go to <paramref name="onUnhandled"/>.</summary>
    public ActorContext(string name, Action<Exception> onUnhandled)
    {
        _onUnhandled = onUnhandled;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether the caller is running on this actor's loop.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>Queues a work item; ignored once the loop is shut down.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        // A plain lock and a condition, signalled only when the loop sleeps: no spinning, which on
        // a 2-core machine with a dozen module loops costs more than it saves.
        lock (_lock)
        {
            if (_completed != 0)
            {
                return;
            }
            _queue.Enqueue((d, state));
            if (_waiting)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    /// <summary>Runs a work item synchronously: inline when already on the loop, else posted and awaited.</summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (IsCurrent)
        {
            d(state);
            return;
        }
        using var done = new ManualResetEventSlim();
        Exception? error = null;
        Post(_ =>
        {
            try
            {
                d(state);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                error = ex;
            }
            finally
            {
                done.Set();
            }
        }, null);
        done.Wait();
        if (error is not null)
        {
            throw new AggregateException(error);
        }
    }

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs an async function on the loop and returns its task.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> fn)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async _ =>
        {
            try
            {
                tcs.TrySetResult(await fn());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                tcs.TrySetException(ex);
            }
        }, null);
        return tcs.Task;
    }

    /// <summary>Runs an async action on the loop and returns its task.</summary>
    public Task RunAsync(Func<Task> fn) => RunAsync<bool>(async () =>
    {
        await fn();
        return true;
    });

    /// <summary>Stops accepting work; the thread ends after the items already queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = 1;
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Waits for the loop thread to end (after <see cref="Complete"/>).</summary>
    public bool Join(TimeSpan timeout) => IsCurrent || _thread.Join(timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        Complete();
        if (!IsCurrent)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        SetSynchronizationContext(this);
        while (true)
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_completed != 0)
                    {
                        return;
                    }
                    _waiting = true;
                    Monitor.Wait(_lock);
                    _waiting = false;
                }
                item = _queue.Dequeue();
            }
            var (callback, state) = item;
            try
            {
                callback(state);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _onUnhandled(ex);
            }
        }
    }
}
