// The module loop: items run one at a time, in order, awaits come back to the loop, a failing
// item does not stop it, and Complete lets queued work finish.
using Flux.Client.Handle;

namespace Flux.Core.Tests;

public sealed class ActorContextTests
{
    [Fact]
    public async Task ItemsFromManyThreads_RunOneAtATime_EachPostersItemsInOrder()
    {
        using var actor = new ActorContext("test", ex => throw ex);
        const int Posters = 4, PerPoster = 5000;
        var inside = 0;
        var overlaps = 0;
        var seen = new List<int>[Posters];
        for (var p = 0; p < Posters; p++)
        {
            seen[p] = [];
        }
        var posters = Enumerable.Range(0, Posters).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < PerPoster; i++)
            {
                var value = i;
                actor.Post(_ =>
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }
                    seen[p].Add(value);
                    Interlocked.Decrement(ref inside);
                }, null);
            }
        })).ToArray();
        await Task.WhenAll(posters);
        await actor.RunAsync(() => Task.CompletedTask);
        Assert.Equal(0, overlaps);
        foreach (var list in seen)
        {
            Assert.Equal(Enumerable.Range(0, PerPoster), list);
        }
    }

    [Fact]
    public async Task Await_ResumesOnTheLoop()
    {
        using var actor = new ActorContext("test", ex => throw ex);
        var onLoop = await actor.RunAsync(async () =>
        {
            var before = actor.IsCurrent;
            await Task.Yield();
            var afterYield = actor.IsCurrent;
            await Task.Run(() => Thread.Sleep(1));
            return before && afterYield && actor.IsCurrent && SynchronizationContext.Current == actor;
        });
        Assert.True(onLoop);
        Assert.False(actor.IsCurrent);
    }

    [Fact]
    public async Task ThrowingItem_GoesToTheHandler_AndTheLoopGoesOn()
    {
        var errors = new List<Exception>();
        using var actor = new ActorContext("test", ex => errors.Add(ex));
        actor.Post(_ => throw new InvalidOperationException("boom"), null);
        var ran = await actor.RunAsync(() => Task.FromResult(42));
        Assert.Equal(42, ran);
        Assert.Equal("boom", Assert.Single(errors).Message);
    }

    [Fact]
    public void Complete_RunsWhatIsQueued_ThenIgnoresPosts()
    {
        var actor = new ActorContext("test", ex => throw ex);
        var count = 0;
        using var gate = new ManualResetEventSlim();
        actor.Post(_ => gate.Wait(), null);
        for (var i = 0; i < 100; i++)
        {
            actor.Post(_ => count++, null);
        }
        actor.Complete();
        actor.Post(_ => count += 1000, null);
        gate.Set();
        Assert.True(actor.Join(TimeSpan.FromMinutes(1)));
        Assert.Equal(100, count);
        actor.Dispose();
    }
}
