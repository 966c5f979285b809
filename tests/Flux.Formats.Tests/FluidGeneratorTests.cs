// Tests for the RFC 19 FLUID generator: layout, monotonicity under stalled or stepped-back clocks.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class FluidGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_EncodesTimestampGeneratorAndSequence()
    {
        var clock = new ManualTimeProvider(Start.AddMilliseconds(1500));
        var gen = new FluidGenerator(3, Start.ToUnixTimeMilliseconds(), clock);
        var a = gen.Next();
        var b = gen.Next();
        Assert.Equal(1500UL, Fluid.Timestamp(a));
        Assert.Equal(3u, Fluid.GeneratorId(a));
        Assert.Equal(0u, Fluid.Sequence(a));
        Assert.Equal(1u, Fluid.Sequence(b));
        clock.Now = clock.Now.AddMilliseconds(1);
        var c = gen.Next();
        Assert.Equal(1501UL, Fluid.Timestamp(c));
        Assert.Equal(0u, Fluid.Sequence(c));
    }

    [Fact]
    public void Next_StalledClock_AdvancesLogicallyAfter1024()
    {
        var clock = new ManualTimeProvider(Start);
        var gen = new FluidGenerator(1, Start.ToUnixTimeMilliseconds(), clock);
        var ids = Enumerable.Range(0, 5000).Select(_ => gen.Next()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(1023u, Fluid.Sequence(ids[1023]));
        Assert.Equal(1UL, Fluid.Timestamp(ids[1024]));
        Assert.Equal(0u, Fluid.Sequence(ids[1024]));
        Assert.Equal(4UL, Fluid.Timestamp(ids[^1]));
    }

    [Fact]
    public void Next_ClockStepsBack_StaysIncreasing()
    {
        var clock = new ManualTimeProvider(Start.AddSeconds(10));
        var gen = new FluidGenerator(0, Start.ToUnixTimeMilliseconds(), clock);
        var first = gen.Next();
        clock.Now = Start.AddSeconds(5);
        var second = gen.Next();
        clock.Now = Start.AddSeconds(-5);
        var third = gen.Next();
        Assert.True(second > first);
        Assert.True(third > second);
        clock.Now = Start.AddSeconds(11);
        var fourth = gen.Next();
        Assert.Equal(11_000UL, Fluid.Timestamp(fourth));
    }

    [Fact]
    public void Next_BeforeEpoch_UsesTimestampZero()
    {
        var clock = new ManualTimeProvider(Start);
        var gen = new FluidGenerator(0, Start.AddSeconds(1).ToUnixTimeMilliseconds(), clock);
        Assert.Equal(0UL, Fluid.Timestamp(gen.Next()));
    }

    [Fact]
    public void Next_ConcurrentCallers_GetUniqueIncreasingIds()
    {
        var gen = new FluidGenerator(16383, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var bags = new List<ulong>[4];
        Parallel.For(0, 4, t =>
        {
            bags[t] = [.. Enumerable.Range(0, 10_000).Select(_ => gen.Next())];
        });
        foreach (var bag in bags)
        {
            Assert.Equal(bag.Order(), bag);
        }
        var all = bags.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, id => Assert.Equal(16383u, Fluid.GeneratorId(id)));
    }

    [Fact]
    public void Constructor_GeneratorIdTooLarge_ThrowsErange()
    {
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => new FluidGenerator(1 << 14, 0)).Errnum);
    }

    [Fact]
    public void Next_TimestampExhausted_ThrowsEoverflow()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1L << 40));
        var gen = new FluidGenerator(0, 0, clock);
        Assert.Equal(Errno.EOVERFLOW, Assert.Throws<FluxException>(() => gen.Next()).Errnum);
    }
}
