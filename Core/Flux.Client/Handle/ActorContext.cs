// A single-threaded synchronization context: the loop of one module (an actor).
namespace Flux.Client.Handle;

/// <summary>
/// Runs posted work items one at a time, in the order they are posted, and is installed as the
/// <see cref="SynchronizationContext"/> while they run, so every <c>await</c> in module code
/// resumes on the same loop: module code needs no locks. The loop has no thread of its own: while
/// it has work it holds one thread-pool worker (a turn), and gives it back when its queue is empty
/// or after <see cref="TurnBudget"/> items, so other loops get their share. A message from one
/// module to another therefore usually runs on a thread that is already awake, instead of waking
/// the receiver's own thread: a dozen module threads on a 2-core machine spent a quarter of the
/// broker's time switching between each other.
/// </summary>
public sealed class ActorContext : SynchronizationContext, IThreadPoolWorkItem, IDisposable
{
    /// <summary>Items one turn runs before the loop yields its worker and queues itself again.</summary>
    public const int TurnBudget = 64;

    [ThreadStatic]
    private static ActorContext? t_current;

    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();
    private readonly Action<Exception> _onUnhandled;
    private readonly ManualResetEventSlim _ended = new();
    private bool _scheduled;
    private bool _completed;

    /// <summary>Creates the loop. Exceptions escaping a work item go to <paramref name="onUnhandled"/>.</summary>
    public ActorContext(string name, Action<Exception> onUnhandled)
    {
        Name = name;
        _onUnhandled = onUnhandled;
    }

    /// <summary>The loop's name (for diagnostics).</summary>
    public string Name { get; }

    /// <summary>Whether the caller is running on this actor's loop.</summary>
    public bool IsCurrent => t_current == this;

    /// <summary>Queues a work item; ignored once the loop is shut down.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            _queue.Enqueue((d, state));
            schedule = !_scheduled;
            _scheduled = true;
        }
        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
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

    /// <summary>Stops accepting work; the loop ends after the items already queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            if (!_scheduled)
            {
                _ended.Set();
            }
        }
    }

    /// <summary>Waits for the loop to end (after <see cref="Complete"/>).</summary>
    public bool Join(TimeSpan timeout) => IsCurrent || _ended.Wait(timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        Complete();
        if (!IsCurrent)
        {
            _ended.Wait(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>One turn: runs queued items on the calling pool worker until the queue is empty or the budget is spent.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        var previousActor = t_current;
        t_current = this;
        SetSynchronizationContext(this);
        try
        {
            for (var n = 0; n < TurnBudget; n++)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out item))
                    {
                        _scheduled = false;
                        if (_completed)
                        {
                            _ended.Set();
                        }
                        return;
                    }
                }
                try
                {
                    item.Callback(item.State);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _onUnhandled(ex);
                }
            }
        }
        finally
        {
            t_current = previousActor;
            SetSynchronizationContext(previous);
        }
        // Budget spent with work left: queue the next turn behind the other loops' turns.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
