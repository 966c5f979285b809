// The module loop: items run one at a time, in order, awaits come back to the loop, an answer's work
// runs before the messages queued meanwhile, a failing item does not stop it, and Complete lets queued
// work finish.
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

    [Fact]
    public async Task AnAwaitedAnswer_ResumesBeforeTheMessagesQueuedWhileItWaited()
    {
        using var actor = new ActorContext("test", ex => throw ex);
        var order = new List<string>();
        var answer = new TaskCompletionSource<int>();
        async Task AskAsync()
        {
            order.Add("ask");
            order.Add("answer " + await answer.Task.ConfigureAwait(true));
            await Task.Yield();
            order.Add("after yield");
        }
        // Started on the loop: when RunAsync returns, it awaits the answer.
        Task asked = Task.CompletedTask;
        await actor.RunAsync(() =>
        {
            asked = AskAsync();
            return Task.CompletedTask;
        });
        using var gate = new ManualResetEventSlim();
        actor.PostMessage(_ => gate.Wait(), null);
        for (var i = 1; i <= 3; i++)
        {
            var n = i;
            actor.PostMessage(_ => order.Add("message " + n), null);
        }
        using (ActorContext.Answering(actor))
        {
            answer.SetResult(42);
        }
        gate.Set();
        await asked;
        await actor.RunAsync(() => Task.CompletedTask);
        Assert.Equal(["ask", "answer 42", "after yield", "message 1", "message 2", "message 3"], order);
    }

    [Fact]
    public void MessagesDeliveredByAnAnswersWork_StayBehindTheMessagesBeforeThem()
    {
        using var actor = new ActorContext("test", ex => throw ex);
        var order = new List<string>();
        using var gate = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        actor.Post(_ => gate.Wait(), null);
        actor.PostMessage(_ => order.Add("message 1"), null);
        actor.Post(_ => order.Add("item 2"), null);
        using (ActorContext.Answering(actor))
        {
            actor.Post(_ =>
            {
                order.Add("answer");
                actor.Post(_ => order.Add("answer's follow-up"), null);
                actor.PostMessage(_ =>
                {
                    order.Add("message 3");
                    done.Set();
                }, null);
            }, null);
        }
        gate.Set();
        Assert.True(done.Wait(TimeSpan.FromMinutes(1)));
        Assert.Equal(["answer", "answer's follow-up", "message 1", "item 2", "message 3"], order);
    }

    [Fact]
    public async Task WithoutAnAnswer_ItemsAndMessagesKeepTheOrderTheyWerePostedIn()
    {
        using var actor = new ActorContext("test", ex => throw ex);
        var order = new List<int>();
        using var gate = new ManualResetEventSlim();
        actor.Post(_ => gate.Wait(), null);
        for (var i = 0; i < 10; i++)
        {
            var n = i;
            if (n % 2 == 0)
            {
                actor.PostMessage(_ => order.Add(n), null);
            }
            else
            {
                actor.Post(_ => order.Add(n), null);
            }
        }
        // Answering another loop does not change this one's order.
        using (ActorContext.Answering(new ActorContext("other", ex => throw ex)))
        {
            actor.Post(_ => order.Add(10), null);
        }
        gate.Set();
        await actor.RunAsync(() => Task.CompletedTask);
        Assert.Equal(Enumerable.Range(0, 11), order);
    }
}
