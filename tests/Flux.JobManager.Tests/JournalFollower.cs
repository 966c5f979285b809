// Follows job-manager.events-journal and keeps each job's events, so a test can await the one it expects.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.JobManager.Tests;

internal sealed class JournalFollower : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<ulong, List<JsonObject>> _events = [];
    private readonly Dictionary<ulong, JsonObject> _firstEntry = [];
    private readonly HashSet<ulong> _purged = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private bool _backlogDone;
    private Exception? _error;

    /// <summary>Subscribes and returns once the backlog and its sentinel <c>{id:-1}</c> have arrived.</summary>
    public static async Task<JournalFollower> FollowAsync(FluxHandle h)
    {
        var j = new JournalFollower();
        j._reader = j.ReadAsync(h);
        await j.UntilAsync(() => j._backlogDone, "the journal backlog sentinel {id:-1}");
        return j;
    }

    /// <summary>The names of a job's events so far, in order.</summary>
    public IReadOnlyList<string> Names(ulong id)
    {
        lock (_gate)
        {
            return _events.TryGetValue(id, out var l) ? [.. l.Select(e => e["name"]!.GetValue<string>())] : [];
        }
    }

    /// <summary>The context of a job's last event of that name.</summary>
    public JsonObject? Context(ulong id, string name)
    {
        lock (_gate)
        {
            return _events[id].Last(e => e["name"]!.GetValue<string>() == name)["context"]?.AsObject();
        }
    }

    /// <summary>The first journal entry of a job (with jobspec when it carried the submit event or was backlog).</summary>
    public JsonObject FirstEntry(ulong id)
    {
        lock (_gate)
        {
            return _firstEntry[id];
        }
    }

    public bool IsPurged(ulong id)
    {
        lock (_gate)
        {
            return _purged.Contains(id);
        }
    }

    /// <summary>Waits until job <paramref name="id"/> has posted <paramref name="name"/> (count times); returns its events so far.</summary>
    public async Task<IReadOnlyList<string>> UntilAsync(ulong id, string name, int count = 1)
    {
        await UntilAsync(() => Names(id).Count(n => n == name) >= count, $"job {id}'s event {name} (x{count}) in the journal");
        return Names(id);
    }

    public Task UntilPurgedAsync(ulong id) => UntilAsync(() => IsPurged(id), $"job {id}'s purge in the journal");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }

    private async Task UntilAsync(Func<bool> done, string what)
    {
        var deadline = Task.Delay(Await.Limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_error is not null)
                {
                    throw new InvalidOperationException($"the journal ended while waiting for {what}", _error);
                }
                changed = _changed.Task;
            }
            if (done())
            {
                return;
            }
            if (await Task.WhenAny(changed, deadline) == deadline)
            {
                throw new TimeoutException($"timed out after {Await.Limit.TotalSeconds}s waiting for {what}");
            }
        }
    }

    private async Task ReadAsync(FluxHandle h)
    {
        try
        {
            await foreach (var m in h.StreamAsync(Message.Request("job-manager.events-journal", new JsonObject()), _stop.Token))
            {
                var o = m.GetJson();
                var id = o["id"]!.GetValue<long>();
                lock (_gate)
                {
                    if (id == -1)
                    {
                        _backlogDone = true;
                    }
                    else if (o["purged"]?.GetValue<bool>() == true)
                    {
                        _purged.Add((ulong)id);
                    }
                    else
                    {
                        _firstEntry.TryAdd((ulong)id, o);
                        if (!_events.TryGetValue((ulong)id, out var list))
                        {
                            _events[(ulong)id] = list = [];
                        }
                        list.AddRange(o["events"]!.AsArray().Select(e => e!.AsObject()));
                    }
                    Signal();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the test is done with the journal.
        }
        catch (FluxException ex)
        {
            lock (_gate)
            {
                _error = ex;
                Signal();
            }
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
