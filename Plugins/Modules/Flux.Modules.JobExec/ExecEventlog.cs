// The exec eventlog of RFC 50 (init, starting, shell.init, shell.start, complete, done) in the
// job's guest namespace, written in batches.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.JobExec;

internal sealed class ExecEventlog(IFlux flux, ulong id, string ns)
{
    private KvsTxn _txn = new();
    private Task _committing = Task.CompletedTask;
    private bool _scheduled;

    public void Post(string name, JsonObject? context)
    {
        _txn.Append("exec.eventlog", new EventlogEntry(EventlogEntry.Now(), name, context).ToLine());
        if (!_scheduled)
        {
            _scheduled = true;
            // A failed batch loses only events: the job's own end is written by the awaited final flush.
            flux.Background(FlushSoonAsync(), $"job {id}: committing the exec eventlog");
        }
    }

    /// <summary>Commits what was posted so far; completes once every event posted before the call is committed.</summary>
    public async Task FlushAsync()
    {
        _scheduled = false;
        if (_txn.Count == 0)
        {
            // A commit already under way may hold the events posted so far (its failure is its starter's to report).
            try
            {
                await _committing.ConfigureAwait(true);
            }
            catch (FluxException)
            {
            }
            return;
        }
        var txn = _txn;
        _txn = new KvsTxn();
        // Commits to one namespace from one handle are applied in order: this one ends after the one before.
        _committing = flux.KvsCommitAsync(txn, ns);
        await _committing.ConfigureAwait(true);
    }

    private async Task FlushSoonAsync()
    {
        await Task.Yield();
        try
        {
            await FlushAsync().ConfigureAwait(true);
        }
        catch (FluxException)
        {
            // The namespace was removed: the job is over.
        }
    }
}
