// A one-shot timer for any duration an FSD (RFC 23) can name: .NET timers stop at about 49.7 days.
namespace Flux.Formats;

/// <summary>
/// A one-shot timer on a <see cref="TimeProvider"/> for any delay in seconds. A .NET timer (and
/// <see cref="Task.Delay(TimeSpan)"/> and <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>,
/// built on it) throws for a due time over 2^32-2 ms, about 49.7 days, while a job's time limit or a
/// configured period is an FSD that may be far longer (<c>-t 1000d</c>). This timer chains timers of
/// at most <see cref="MaxTimerDelay"/>, re-arming from the provider's monotonic clock until the delay
/// has elapsed; an infinite (or NaN) delay never fires, and a negative one fires at once. The callback
/// runs at most once per arming, on a thread-pool thread (post it to a module's loop as needed).
/// </summary>
public sealed class LongTimer : IDisposable
{
    // A millionth of a millisecond: what is left of a delay after floating-point arithmetic on it.
    private const double Slack = 1e-6;

    private readonly TimeProvider _time;
    private readonly Action _callback;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private long _start;
    private double _seconds;
    private bool _disposed;

    /// <summary>Starts a timer that calls <paramref name="callback"/> once <paramref name="seconds"/> have passed.</summary>
    public LongTimer(TimeProvider time, double seconds, Action callback)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(callback);
        _time = time;
        _callback = callback;
        Change(seconds);
    }

    /// <summary>The longest due time a single .NET timer accepts (2^32-2 ms).</summary>
    public static TimeSpan MaxTimerDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Re-arms the timer to fire <paramref name="seconds"/> from now (also after it has fired).</summary>
    public void Change(double seconds)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _start = _time.GetTimestamp();
            _seconds = seconds;
            Arm(seconds);
        }
    }

    /// <summary>Stops the timer; a callback already running is not waited for.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>A delay of any length (<see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> without its 49.7-day limit).</summary>
    public static Task DelayAsync(double seconds, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = new LongTimer(time, seconds, () => done.TrySetResult());
        var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        _ = done.Task.ContinueWith(_ =>
        {
            registration.Dispose();
            timer.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return done.Task;
    }

    /// <summary>
    /// Cancels <paramref name="source"/> once <paramref name="seconds"/> have passed
    /// (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> without its limit); dispose the
    /// result to stop the timer.
    /// </summary>
    public static LongTimer CancelAfter(CancellationTokenSource source, double seconds, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new LongTimer(time, seconds, () =>
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The wait it bounded is over.
            }
        });
    }

    // Called with the gate held: one .NET timer for what is left, at most MaxTimerDelay of it.
    private void Arm(double remaining)
    {
        if (double.IsNaN(remaining) || double.IsPositiveInfinity(remaining))
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        // Whole milliseconds, rounded up (past the rounding noise of the subtraction in OnTick), so
        // that the next tick finds the deadline reached instead of re-arming for a sliver of time.
        var ms = remaining <= 0 ? 0 : Math.Min(Math.Ceiling((remaining * 1000) - Slack), MaxTimerDelay.TotalMilliseconds);
        var due = TimeSpan.FromMilliseconds(ms);
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static s => ((LongTimer)s!).OnTick(), this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            var remaining = _seconds - _time.GetElapsedTime(_start).TotalSeconds;
            if (remaining * 1000 > Slack)
            {
                Arm(remaining);
                return;
            }
        }
        _callback();
    }
}
