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

    public async Task FlushAsync()
    {
        _scheduled = false;
        if (_txn.Count == 0)
        {
            return;
        }
        var txn = _txn;
        _txn = new KvsTxn();
        await flux.KvsCommitAsync(txn, ns).ConfigureAwait(true);
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
