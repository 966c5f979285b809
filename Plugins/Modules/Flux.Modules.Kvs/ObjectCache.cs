// The KVS cache of RFC 11 objects by blobref, filled from and written to the RFC 10 content store.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Kvs;

/// <summary>
/// Blobs the KVS has read or written, by blobref: directories parsed once (tree objects are
/// immutable, so a parsed dir is shared by every root that contains it) and value blobs as bytes.
/// Misses are loaded with <c>content.load</c>; a commit's new blobs are written with its root record
/// in one <c>content-backing.commit</c> (<see cref="CommitAsync"/>). Entries unused for a while are
/// dropped by <see cref="Expire"/>.
/// </summary>
internal sealed class ObjectCache(IFlux flux, BlobHash hash)
{
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<byte[]>> _loading = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>
    /// Above this many bytes of cached objects, the least recently used are dropped (they stay in the
    /// content store). Every commit writes new versions of the directories it touches, so without a
    /// bound the cache would keep every superseded version until it idles out.
    /// </summary>
    public long SizeLimit { get; set; } = 16L * 1024 * 1024;

    /// <summary>Blobrefs that must stay cached (the current roots); set by the KVS.</summary>
    public Func<IReadOnlySet<string>>? Pinned { get; set; }

    /// <summary>The hash used for blobrefs.</summary>
    public BlobHash Hash => hash;

    /// <summary>The number of cached objects.</summary>
    public int Count => _items.Count;

    /// <summary>A directory by blobref, loaded from the content store on a miss.</summary>
    public ValueTask<TreeObj> LoadDirAsync(string blobref)
    {
        if (_items.TryGetValue(blobref, out var item) && item.Dir is { } dir)
        {
            item.LastUse = Environment.TickCount64;
            return ValueTask.FromResult(dir);
        }
        return LoadDirSlowAsync(blobref);
    }

    /// <summary>A value blob by blobref, loaded from the content store on a miss.</summary>
    public ValueTask<byte[]> LoadBlobAsync(string blobref)
    {
        if (_items.TryGetValue(blobref, out var item) && item.Data is { } data)
        {
            item.LastUse = Environment.TickCount64;
            return ValueTask.FromResult(data);
        }
        return new ValueTask<byte[]>(FetchAsync(blobref));
    }

    /// <summary>The concatenation of the blobs of a valref (RFC 11).</summary>
    public async ValueTask<byte[]> LoadValueAsync(TreeObj valref)
    {
        if (valref.Refs.Length == 1)
        {
            return await LoadBlobAsync(valref.Refs[0]);
        }
        var parts = new byte[valref.Refs.Length][];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = await LoadBlobAsync(valref.Refs[i]);
        }
        var result = new byte[parts.Sum(p => p.Length)];
        var pos = 0;
        foreach (var p in parts)
        {
            p.CopyTo(result, pos);
            pos += p.Length;
        }
        return result;
    }

    /// <summary>Adds a new directory; returns its blobref and queues the blob if it is new.</summary>
    public string AddDir(TreeObj dir, List<byte[]> newBlobs) => Add(dir.Encode(), dir, newBlobs);

    /// <summary>Adds a new value blob; returns its blobref and queues the blob if it is new.</summary>
    public string AddBlob(byte[] blob, List<byte[]> newBlobs) => Add(blob, null, newBlobs);

    // A directory is kept parsed, a value as bytes.
    private string Add(byte[] blob, TreeObj? dir, List<byte[]> newBlobs)
    {
        var blobref = hash.ToBlobref(hash.Digest(blob));
        if (_items.TryGetValue(blobref, out var item))
        {
            if (dir is null)
            {
                item.Data ??= blob;
            }
            else
            {
                item.Dir ??= dir;
            }
            item.LastUse = Environment.TickCount64;
            if (!item.Stored)
            {
                // Brought by a commit that failed, or still being written by another namespace's:
                // this commit writes it too, so its root never names a blob that is not stored.
                newBlobs.Add(blob);
            }
        }
        else
        {
            _items[blobref] = new Item { Dir = dir, Data = dir is null ? blob : null, LastUse = Environment.TickCount64, Size = blob.Length };
            newBlobs.Add(blob);
            Grow(blob.Length);
        }
        return blobref;
    }

    /// <summary>
    /// Writes blobs and a checkpoint record (<c>{"key": KEY, "value": {...}, "history": BOOL}</c>, UTF-8 JSON) so that
    /// both survive a crash, then counts the blobs as stored. The backing store takes them in one
    /// <c>content-backing.commit</c>, written in one transaction before it answers: straight to the
    /// backing store, since a hop through the content cache would add to every commit's latency and
    /// the cache has nothing to add (a later miss loads from the backing store). Without a backing
    /// store that knows <c>commit</c> (ENOSYS), the content module takes the blobs, then the record
    /// once they are flushed, as a checkpoint does. A failure (ENOSPC on a full disk) is thrown and
    /// the blobs stay unstored: the next commit that uses one of them sends it again.
    /// </summary>
    public async Task CommitAsync(List<byte[]> blobs, byte[] record)
    {
        var frames = new ReadOnlyMemory<byte>[blobs.Count + 1];
        frames[0] = record;
        for (var i = 0; i < blobs.Count; i++)
        {
            frames[i + 1] = blobs[i];
        }
        var req = new Message(MessageType.Request) { Topic = "content-backing.commit", NodeIdTarget = NodeId.Any };
        req.SetPayload(BlobBatch.Encode(frames));
        List<byte[]> digests;
        try
        {
            var resp = await flux.RequestAsync(req);
            digests = BlobBatch.Digests(resp.Payload, blobs.Count, hash.DigestSize);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            digests = await StoreThenRecordAsync(blobs, frames, record);
        }
        foreach (var digest in digests)
        {
            if (_items.TryGetValue(hash.ToBlobref(digest), out var item))
            {
                item.Stored = true;
            }
        }
    }

    private async Task<List<byte[]>> StoreThenRecordAsync(List<byte[]> blobs, ReadOnlyMemory<byte>[] frames, byte[] record)
    {
        var digests = new List<byte[]>();
        if (blobs.Count > 0)
        {
            var batch = new Message(MessageType.Request) { Topic = "content.store-batch", NodeIdTarget = NodeId.Any };
            batch.SetPayload(BlobBatch.Encode(frames.AsSpan(1).ToArray()));
            var resp = await flux.RequestAsync(batch);
            digests = BlobBatch.Digests(resp.Payload, blobs.Count, hash.DigestSize);
            try
            {
                await flux.RpcAsync("content.flush");
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
            {
                // No backing store: the content cache keeps the blobs in memory.
            }
        }
        var put = new Message(MessageType.Request) { Topic = "content.checkpoint-put", NodeIdTarget = NodeId.Any };
        put.SetPayload(record);
        await flux.RequestAsync(put);
        return digests;
    }

    /// <summary>Drops entries unused for longer than <paramref name="idle"/>, except those pinned.</summary>
    public int Expire(TimeSpan idle, IReadOnlySet<string> pinned)
    {
        var cutoff = Environment.TickCount64 - (long)idle.TotalMilliseconds;
        var doomed = _items.Where(kv => kv.Value.LastUse < cutoff && !pinned.Contains(kv.Key)).Select(kv => kv.Key).ToList();
        foreach (var k in doomed)
        {
            _bytes -= _items[k].Size;
            _items.Remove(k);
        }
        return doomed.Count;
    }

    private async ValueTask<TreeObj> LoadDirSlowAsync(string blobref)
    {
        var blob = await FetchAsync(blobref);
        if (_items.TryGetValue(blobref, out var item) && item.Dir is { } dir)
        {
            return dir;
        }
        dir = TreeObj.Parse(blob);
        if (dir.Type != TreeType.Dir)
        {
            throw new FluxException(Errno.EPROTO, $"{blobref}: expected a dir object, found {dir.Type}");
        }
        item ??= _items[blobref] = new Item { Stored = true };
        item.Dir = dir;
        item.Data = null;
        item.LastUse = Environment.TickCount64;
        return dir;
    }

    private Task<byte[]> FetchAsync(string blobref)
    {
        if (_loading.TryGetValue(blobref, out var pending))
        {
            return pending;
        }
        var t = FetchCoreAsync(blobref);
        if (!t.IsCompleted)
        {
            _loading[blobref] = t;
        }
        return t;
    }

    private async Task<byte[]> FetchCoreAsync(string blobref)
    {
        try
        {
            var req = new Message(MessageType.Request) { Topic = "content.load", NodeIdTarget = NodeId.Any };
            req.SetPayload(hash.ToDigest(blobref));
            Message resp;
            try
            {
                resp = await flux.RequestAsync(req);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
            {
                throw new FluxException(Errno.ENOENT, $"{blobref}: missing from the content store");
            }
            var data = resp.Payload.ToArray();
            if (!_items.TryGetValue(blobref, out var item))
            {
                _items[blobref] = item = new Item { Size = data.Length };
                Grow(data.Length);
            }
            if (item.Dir is null)
            {
                item.Data = data;
            }
            item.LastUse = Environment.TickCount64;
            item.Stored = true;
            return data;
        }
        finally
        {
            _loading.Remove(blobref);
        }
    }

    private void Grow(long size)
    {
        _bytes += size;
        if (_bytes <= SizeLimit)
        {
            return;
        }
        // Trim to three quarters of the limit, oldest first, so trimming is not paid on every add.
        var pinned = Pinned?.Invoke() ?? new HashSet<string>();
        foreach (var (k, item) in _items.OrderBy(kv => kv.Value.LastUse).ToList())
        {
            if (_bytes <= SizeLimit * 3 / 4)
            {
                break;
            }
            // A blob not stored yet stays: a commit applied on a root still being written reads it.
            if (item.Stored && !pinned.Contains(k))
            {
                _items.Remove(k);
                _bytes -= item.Size;
            }
        }
    }

    private sealed class Item
    {
        public long Size { get; init; }

        public TreeObj? Dir { get; set; }

        public byte[]? Data { get; set; }

        public long LastUse { get; set; }

        /// <summary>Whether the blob is known to be in the content store (loaded from it, or committed).</summary>
        public bool Stored { get; set; }
    }
}
