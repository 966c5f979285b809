// Tests for LongTimer: delays past a .NET timer's 49.7-day range fire on time, never early, never throw.
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class LongTimerTests
{
    [Fact]
    public void Start_FiftyDays_FiresAtTheDeadlineNotBefore()
    {
        var time = new SteppedTimeProvider();
        var fired = 0;
        using var timer = new LongTimer(time, TimeSpan.FromDays(50).TotalSeconds, () => fired++);
        time.Advance(TimeSpan.FromDays(50) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, fired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fired);
        Assert.True(time.Armed >= 2, "a 50-day delay needs at least two chained timers");
    }

    [Fact]
    public void Start_ThousandDays_ChainsAndFiresOnce()
    {
        var time = new SteppedTimeProvider();
        var fired = 0;
        using var timer = new LongTimer(time, TimeSpan.FromDays(1000).TotalSeconds, () => fired++);
        time.Advance(TimeSpan.FromDays(999));
        Assert.Equal(0, fired);
        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, fired);
        Assert.Equal(21, time.Armed); // ceil(1000 / 49.71) timers
    }

    [Fact]
    public void Start_Infinite_NeverArmsAndNeverFires()
    {
        var time = new SteppedTimeProvider();
        var fired = false;
        using var timer = new LongTimer(time, double.PositiveInfinity, () => fired = true);
        time.Advance(TimeSpan.FromDays(100_000));
        Assert.False(fired);
        Assert.Equal(0, time.Armed);
    }

    [Fact]
    public void Start_Negative_FiresWithoutTimePassing()
    {
        var time = new SteppedTimeProvider();
        var fired = false;
        using var timer = new LongTimer(time, -5, () => fired = true);
        time.Advance(TimeSpan.Zero);
        Assert.True(fired);
    }

    [Fact]
    public void Dispose_BeforeDeadline_NeverFires()
    {
        var time = new SteppedTimeProvider();
        var fired = false;
        var timer = new LongTimer(time, TimeSpan.FromDays(60).TotalSeconds, () => fired = true);
        time.Advance(TimeSpan.FromDays(55));
        timer.Dispose();
        time.Advance(TimeSpan.FromDays(10));
        Assert.False(fired);
    }

    [Fact]
    public void Change_AfterFiring_FiresAgainFromNow()
    {
        var time = new SteppedTimeProvider();
        var fired = 0;
        using var timer = new LongTimer(time, 10, () => fired++);
        time.Advance(TimeSpan.FromSeconds(10));
        timer.Change(TimeSpan.FromDays(70).TotalSeconds);
        time.Advance(TimeSpan.FromDays(69));
        Assert.Equal(1, fired);
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(2, fired);
    }

    [Fact]
    public async Task DelayAsync_SixtyDays_CompletesAtTheDeadline()
    {
        var time = new SteppedTimeProvider();
        var delay = LongTimer.DelayAsync(TimeSpan.FromDays(60).TotalSeconds, time);
        time.Advance(TimeSpan.FromDays(59));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromDays(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DelayAsync_Canceled_EndsCanceled()
    {
        var time = new SteppedTimeProvider();
        using var cts = new CancellationTokenSource();
        var delay = LongTimer.DelayAsync(TimeSpan.FromDays(60).TotalSeconds, time, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void CancelAfter_HundredDays_CancelsTheSource()
    {
        var time = new SteppedTimeProvider();
        using var cts = new CancellationTokenSource();
        using var timer = LongTimer.CancelAfter(cts, TimeSpan.FromDays(100).TotalSeconds, time);
        time.Advance(TimeSpan.FromDays(99));
        Assert.False(cts.IsCancellationRequested);
        time.Advance(TimeSpan.FromDays(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void Start_RealTimerRange_IsWhatSystemTimerRefuses()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timer(_ => { }, null, LongTimer.MaxTimerDelay + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        using var ok = new Timer(_ => { }, null, LongTimer.MaxTimerDelay, Timeout.InfiniteTimeSpan);
    }
}
