// A single-threaded synchronization context: the loop of one module (an actor).
using System.Collections.Concurrent;

namespace Flux.Core.Handle;

/// <summary>
/// Runs posted work items one at a time on a dedicated thread, and is installed as that thread's
/// <see cref="SynchronizationContext"/>, so every <c>await</c> in module code resumes on the same
/// loop: module code needs no locks. Work items run in the order they are posted.
/// </summary>
public sealed class ActorContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
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
        if (Volatile.Read(ref _completed) != 0)
        {
            return;
        }
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // Added after CompleteAdding: the actor is gone and the work is dropped, as for a closed socket.
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
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _queue.CompleteAdding();
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
        _queue.Dispose();
    }

    private void Run()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
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
