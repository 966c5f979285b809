// A single-threaded synchronization context: the loop of one module (an actor).
namespace Flux.Client.Handle;

/// <summary>
/// Runs posted work items one at a time (in the order described below), and is installed as the
/// <see cref="SynchronizationContext"/> while they run, so every <c>await</c> in module code
/// resumes on the same loop: module code needs no locks. The loop has no thread of its own: while
/// it has work it holds one thread-pool worker (a turn), and gives it back when its queue is empty
/// or after <see cref="TurnBudget"/> items, so other loops get their share. A message from one
/// module to another therefore usually runs on a thread that is already awake, instead of waking
/// the receiver's own thread: a dozen module threads on a 2-core machine spent a quarter of the
/// broker's time switching between each other.
/// <para>
/// Answers come first. A module that asked a question (an RPC) and awaits its answer resumes before the
/// messages that arrived while it waited: the continuation a response releases, and whatever that work
/// posts to this loop, goes to a second queue that each turn empties before it takes the next item of the
/// first. Otherwise the answer waits behind every message that came meanwhile: in a burst of 1,000
/// submissions, job-ingest's feasibility answer came after all of them, and no job reached the
/// job-manager until the whole burst was read. Everything else (incoming messages, timers,
/// <c>Task.Yield</c> in a message's handler) keeps the order it was posted in.
/// </para>
/// </summary>
public sealed class ActorContext : SynchronizationContext, IThreadPoolWorkItem, IDisposable
{
    /// <summary>Items one turn runs before the loop yields its worker and queues itself again.</summary>
    public const int TurnBudget = 64;

    [ThreadStatic]
    private static ActorContext? t_current;

    // The loop whose posts from this thread are answers' work (see the class remarks), or null.
    [ThreadStatic]
    private static ActorContext? t_answering;

    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _answers = new();
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

    /// <summary>
    /// Queues a work item; ignored once the loop is shut down. Posted while an answer is delivered
    /// (<see cref="Answering"/>) or by an item that answer released, it runs before the other items queued.
    /// </summary>
    public override void Post(SendOrPostCallback d, object? state) => Enqueue(t_answering == this ? _answers : _queue, d, state);

    /// <summary>
    /// Queues the handling of an incoming message: always behind the items already queued, even when an
    /// answer's work delivers it (a module receiving its own event), so messages keep their order.
    /// </summary>
    public void PostMessage(SendOrPostCallback d, object? state) => Enqueue(_queue, d, state);

    private void Enqueue(Queue<(SendOrPostCallback Callback, object? State)> queue, SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            queue.Enqueue((d, state));
            schedule = !_scheduled;
            _scheduled = true;
        }
        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>
    /// Marks what the calling thread posts to <paramref name="actor"/> until the scope is disposed as an
    /// answer's work: the caller is delivering a response to a request the loop's code awaits.
    /// </summary>
    public static AnsweringScope Answering(ActorContext? actor)
    {
        var previous = t_answering;
        t_answering = actor;
        return new AnsweringScope(previous);
    }

    /// <summary>Ends an <see cref="Answering"/> scope.</summary>
    public readonly struct AnsweringScope(ActorContext? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => t_answering = previous;
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

    /// <summary>Stops accepting work; the loop ends after the items already queued (in both queues).</summary>
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
        var previousAnswering = t_answering;
        t_current = this;
        SetSynchronizationContext(this);
        try
        {
            for (var n = 0; n < TurnBudget; n++)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_lock)
                {
                    // An answer's work first; what it posts to this loop is an answer's work too.
                    t_answering = _answers.TryDequeue(out item) ? this : null;
                    if (t_answering is null && !_queue.TryDequeue(out item))
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
            t_answering = previousAnswering;
            SetSynchronizationContext(previous);
        }
        // Budget spent with work left: queue the next turn behind the other loops' turns.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
