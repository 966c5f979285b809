// Plays job-manager for job-list: serves job-manager.events-journal with scripted backlog and live entries.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.JobList.Tests;

/// <summary>
/// A client that registers the <c>job-manager</c> service and answers the streaming
/// <c>job-manager.events-journal</c> request the way the job-manager does: the test sends the
/// backlog entries, the sentinel <c>{id:-1}</c>, live entries and purges through the held request.
/// Everything is sent synchronously, so a request the test makes afterwards is handled after them.
/// </summary>
internal sealed class FakeJobManager : IAsyncDisposable
{
    private readonly FluxHandle _h;
    private TaskCompletionSource<Message> _journal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeJobManager(FluxHandle h)
    {
        _h = h;
    }

    public Message? Journal { get; private set; }

    public static async Task<FakeJobManager> StartAsync(TestInstance inst, bool online = true)
    {
        var h = await inst.ConnectAsync();
        var fake = new FakeJobManager(h);
        h.RegisterHandler(MessageType.Request, "job-manager.events-journal", m =>
        {
            fake.Journal = m;
            fake._journal.TrySetResult(m);
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("job-manager");
        if (online)
        {
            await h.PublishAsync("job-manager.online");
        }
        return fake;
    }

    /// <summary>Waits until job-list has asked for the journal.</summary>
    public async Task<Message> JournalRequestedAsync()
    {
        var m = await _journal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(m.IsStreaming, "job-manager.events-journal must be a streaming request");
        return m;
    }

    /// <summary>Sends entries, then the sentinel.</summary>
    public async Task SendBacklogAsync(params JsonObject[] entries)
    {
        var journal = await JournalRequestedAsync();
        foreach (var e in entries)
        {
            _h.Respond(journal, e);
        }
        _h.Respond(journal, new JsonObject { ["id"] = -1, ["events"] = new JsonArray() });
    }

    public void Send(JsonObject entry) => _h.Respond(Journal ?? throw new InvalidOperationException("no journal request yet"), entry);

    public void Purge(ulong id) => Send(new JsonObject { ["id"] = id, ["events"] = new JsonArray(), ["purged"] = true });

    /// <summary>Ends the journal with an error, as job-manager does when it unloads.</summary>
    public void EndJournal()
    {
        _h.RespondError(Journal!, Errno.ENOSYS, "job-manager is unloading");
        Journal = null;
        _journal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task PublishOnlineAsync() => _h.PublishAsync("job-manager.online");

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();
}
