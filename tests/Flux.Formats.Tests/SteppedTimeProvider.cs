// A TimeProvider with timers whose clock moves only when a test advances it, and which refuses due
// times over a .NET timer's range, as System.Threading.Timer does.
namespace Flux.Formats.Tests;

internal sealed class SteppedTimeProvider : TimeProvider
{
    private static readonly TimeSpan MaxDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private readonly List<SteppedTimer> _timers = [];
    private readonly Lock _gate = new();
    private TimeSpan _now;

    /// <summary>How many timers were armed (created or changed) with a due time.</summary>
    public int Armed { get; private set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now.Ticks;
        }
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var t = new SteppedTimer(this, callback, state);
        t.Change(dueTime, period);
        return t;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan end;
        lock (_gate)
        {
            end = _now + by;
        }
        while (true)
        {
            SteppedTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } d && d <= end).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null)
                {
                    _now = end;
                    return;
                }
                _now = next.Due!.Value;
                next.Due = null;
            }
            next.Fire();
        }
    }

    private sealed class SteppedTimer(SteppedTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (period != Timeout.InfiniteTimeSpan)
            {
                throw new NotSupportedException("periodic timers are not used by the code under test");
            }
            ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, MaxDue);
            lock (owner._gate)
            {
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = null;
                    owner._timers.Remove(this);
                    return true;
                }
                Due = owner._now + dueTime;
                owner.Armed++;
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
