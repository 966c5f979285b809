// content.commit: a KVS commit's new blobs and root record, written together before the answer.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Content;

public sealed partial class ContentModule
{
    /// <summary>
    /// <c>content.commit</c>: <see cref="BlobBatch"/> framing whose first frame is a checkpoint record
    /// <c>{"key": KEY, "value": {...}}</c> and the others blobs; answered with the blobs' digests in
    /// order. With a backing store, the answer comes once the record and every blob of the request
    /// not yet written back are in it, in one transaction (<c>content-backing.commit</c>): the KVS
    /// acknowledges a commit only then, so an acknowledged commit survives a crash of the broker.
    /// A failed write is answered with its error (ENOSPC when the disk is full), and the blobs that
    /// only this request brought are dropped again. Without a backing store the record is kept in
    /// memory, as <c>content.checkpoint-put</c> keeps it.
    /// </summary>
    private async ValueTask Commit(Message msg)
    {
        var payload = msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty;
        var frames = BlobBatch.Decode(payload);
        if (frames.Count == 0)
        {
            throw new FluxException(Errno.EPROTO, "commit: missing the checkpoint frame");
        }
        for (var i = 1; i < frames.Count; i++)
        {
            CheckSize(frames[i]);
        }
        var digests = new byte[(frames.Count - 1) * _hash.DigestSize];
        if (_backing is null)
        {
            var (key, value) = ParseRecord(frames[0]);
            for (var i = 1; i < frames.Count; i++)
            {
                Add(frames[i]).CopyTo(digests, (i - 1) * _hash.DigestSize);
            }
            _memoryCheckpoints[key] = value;
            flux.RespondRaw(msg, digests);
            KickFlush();
            return;
        }
        var owner = new object();
        var written = new List<(string Key, Entry E)>(frames.Count - 1);
        for (var i = 1; i < frames.Count; i++)
        {
            var (digest, key, e) = Insert(frames[i], owner);
            digest.CopyTo(digests, (i - 1) * _hash.DigestSize);
            if (e.Dirty)
            {
                written.Add((key, e));
            }
        }
        var req = new Message(MessageType.Request) { Topic = _backing + ".commit", NodeIdTarget = NodeId.Any };
        // Usually every blob of a commit is new: the request goes on as it came.
        req.SetPayload(written.Count == frames.Count - 1
            ? payload
            : BlobBatch.Encode([frames[0], .. written.Select(w => (ReadOnlyMemory<byte>)w.E.Data)]));
        try
        {
            await flux.RequestAsync(req);
        }
        catch (FluxException)
        {
            Abandon(written, owner);
            AfterWriteBack();
            throw;
        }
        foreach (var (key, e) in written)
        {
            MarkClean(key, e);
        }
        flux.RespondRaw(msg, digests);
        AfterWriteBack();
    }

    // The commit failed: the blobs only it brought leave the cache (the KVS sends them again with
    // its next commit); those another request also stored are left to the write-back.
    private void Abandon(List<(string Key, Entry E)> written, object owner)
    {
        foreach (var (key, e) in written)
        {
            if (!e.Dirty)
            {
                continue;
            }
            if (ReferenceEquals(e.Owner, owner))
            {
                e.Dirty = false;
                _dirtyCount--;
                if (_cache.Remove(key))
                {
                    _size -= e.Data.Length;
                }
            }
            else if (e.Owner is null)
            {
                _dirty.Enqueue(key);
            }
        }
    }

    private static (string Key, JsonNode Value) ParseRecord(ReadOnlyMemory<byte> frame)
    {
        JsonObject? o;
        try
        {
            o = JsonNode.Parse(frame.Span) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"commit: the checkpoint frame is not JSON: {ex.Message}");
        }
        var key = o?["key"] is JsonValue k && k.TryGetValue(out string? s) ? s : null;
        if (key is null || o!["value"] is not JsonObject value)
        {
            throw new FluxException(Errno.EPROTO, "commit: the checkpoint frame must be {\"key\": string, \"value\": object}");
        }
        return (key, value.DeepClone());
    }
}
