// The content cache's write-back: dirty blobs go to the backing store in the background, in batches.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Content;

public sealed partial class ContentModule
{
    private void KickFlush()
    {
        if (_backingBatches)
        {
            KickBatchFlush();
            return;
        }
        while (_backing is not null && _inFlight < MaxStoresInFlight && _dirty.TryDequeue(out var key))
        {
            if (_cache.TryGetValue(key, out var e) && e.Dirty)
            {
                _inFlight++;
                flux.Background(WriteBackAsync(key, e), "blob write-back", onFault: ex => OnWriteBackFault([key], ex));
            }
        }
    }

    // Dirty blobs go to the backing store many per request, a few requests in flight: a burst of
    // KVS commits becomes a handful of SQLite transactions instead of a request per blob.
    private void KickBatchFlush()
    {
        while (_backing is not null && _inFlight < MaxBatchesInFlight && _dirty.Count > 0)
        {
            var batch = new List<(string Key, Entry E)>();
            long bytes = 0;
            while (batch.Count < MaxBatchBlobs && bytes < MaxBatchBytes && _dirty.TryDequeue(out var key))
            {
                if (_cache.TryGetValue(key, out var e) && e.Dirty)
                {
                    batch.Add((key, e));
                    bytes += e.Data.Length;
                }
            }
            if (batch.Count == 0)
            {
                return;
            }
            _inFlight++;
            flux.Background(WriteBackBatchAsync(batch), "batch write-back", onFault: ex => OnWriteBackFault([.. batch.Select(b => b.Key)], ex));
        }
    }

    private async Task WriteBackBatchAsync(List<(string Key, Entry E)> batch)
    {
        try
        {
            var req = new Message(MessageType.Request) { Topic = _backing + ".store-batch", NodeIdTarget = NodeId.Any };
            req.SetPayload(BlobBatch.Encode([.. batch.Select(b => (ReadOnlyMemory<byte>)b.E.Data)]));
            var resp = await flux.RequestAsync(req);
            BlobBatch.Digests(resp.Payload, batch.Count, _hash.DigestSize);
            foreach (var (key, e) in batch)
            {
                MarkClean(key, e);
            }
        }
        catch (FluxException ex)
        {
            _flushError = ex.Message;
            foreach (var (key, _) in batch)
            {
                _dirty.Enqueue(key);
            }
            ContentLog.BatchWriteFailed(log, batch.Count, ex.Message);
        }
        finally
        {
            _inFlight--;
        }
        AfterWriteBack();
    }

    // A write-back that failed other than by an RFC 6 error (its finally block has run): its blobs
    // stay dirty and the flush and unregister requests waiting on them get the error.
    private void OnWriteBackFault(List<string> keys, Exception ex)
    {
        _flushError = ex.Message;
        foreach (var key in keys)
        {
            _dirty.Enqueue(key);
        }
        AfterWriteBack();
    }

    private void MarkClean(string key, Entry e)
    {
        if (e.Dirty)
        {
            e.Dirty = false;
            _dirtyCount--;
            e.Node = _lru.AddLast(key);
        }
    }

    private async Task WriteBackAsync(string key, Entry e)
    {
        try
        {
            var req = new Message(MessageType.Request) { Topic = _backing + ".store", NodeIdTarget = NodeId.Any };
            req.SetPayload(e.Data);
            await flux.RequestAsync(req);
            MarkClean(key, e);
        }
        catch (FluxException ex)
        {
            _flushError = ex.Message;
            _dirty.Enqueue(key);
            ContentLog.WriteFailed(log, key, ex.Message);
        }
        finally
        {
            _inFlight--;
        }
        AfterWriteBack();
    }

    private void AfterWriteBack()
    {
        if (_flushError is null)
        {
            KickFlush();
        }
        if (_dirtyCount == 0 || (_flushError is not null && _inFlight == 0))
        {
            foreach (var w in _flushWaiters)
            {
                if (_flushError is null)
                {
                    flux.Respond(w);
                }
                else
                {
                    flux.RespondError(w, Errno.EIO, "content flush failed: " + _flushError);
                }
            }
            _flushWaiters.Clear();
            _unregisterWaiter?.TrySetResult();
            _unregisterWaiter = null;
            _flushError = null;
        }
        Purge();
    }
}
