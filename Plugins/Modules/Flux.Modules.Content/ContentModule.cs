// The content module: RFC 10 content-addressed blob cache, write-back to a backing store, checkpoints.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Content;

/// <summary>
/// The rank 0 content cache of RFC 10. <c>content.store</c> takes a raw blob and answers its raw
/// digest; <c>content.load</c> takes a raw digest and answers the blob, filling a miss from the
/// backing store (the <c>content-backing</c> service registered with <c>content.register-backing</c>).
/// <c>content.store-batch</c> stores many blobs in one request (<see cref="BlobBatch"/>). New blobs
/// are dirty until written back, in batches when the backing store registered with
/// <c>"batch": true</c>; <c>content.flush</c> answers once none is. Clean blobs are
/// evicted, least recently used first, when the cache exceeds <c>content.purge-target-size</c> bytes.
/// Checkpoints (<c>content.checkpoint-get</c>/<c>-put</c>) go to the backing store, or stay in
/// memory when there is none.
/// </summary>
[FluxPlugin("content", PluginKind.Module)]
public sealed partial class ContentModule(IFlux flux, ModuleArgs args, ILogger<ContentModule> log) : IFluxModule
{
    private const int MaxStoresInFlight = 256;
    private const int MaxBatchesInFlight = 2;
    private const int MaxBatchBlobs = 1024;
    private const long MaxBatchBytes = 8L * 1024 * 1024;
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _lru = new();
    private readonly Queue<string> _dirty = new();
    private readonly List<Message> _flushWaiters = [];
    private readonly Dictionary<string, JsonNode> _memoryCheckpoints = new(StringComparer.Ordinal);
    private BlobHash _hash = BlobHash.Parse(null);
    private string? _backing;
    private bool _backingBatches;
    private bool _hadBacking;
    private long _size;
    private int _dirtyCount;
    private int _inFlight;
    private long _purgeTarget = 16L * 1024 * 1024;
    private long _blobLimit = 1L << 30;
    private long _stores;
    private long _loads;
    private long _misses;
    private string? _flushError;
    private TaskCompletionSource? _unregisterWaiter;

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _hash = BlobHash.Parse(await flux.GetAttrAsync("content.hash", cancellationToken));
        _purgeTarget = SizeSetting(await flux.GetAttrAsync("content.purge-target-size", cancellationToken), "content.purge-target-size", _purgeTarget);
        _blobLimit = SizeSetting(await flux.GetAttrAsync("content.blob-size-limit", cancellationToken), "content.blob-size-limit", _blobLimit);
        _purgeTarget = SizeSetting(args.Get("purge-target-size"), "purge-target-size", _purgeTarget);
        flux.RegisterHandler(MessageType.Request, "content.store", Store);
        flux.RegisterHandler(MessageType.Request, "content.store-batch", StoreBatch);
        flux.RegisterHandler(MessageType.Request, "content.load", Load);
        flux.RegisterHandler(MessageType.Request, "content.flush", Flush);
        flux.RegisterHandler(MessageType.Request, "content.dropcache", DropCache);
        flux.RegisterHandler(MessageType.Request, "content.register-backing", RegisterBacking);
        flux.RegisterHandler(MessageType.Request, "content.unregister-backing", UnregisterBacking);
        flux.RegisterHandler(MessageType.Request, "content.checkpoint-get", CheckpointGet);
        flux.RegisterHandler(MessageType.Request, "content.checkpoint-put", CheckpointPut);
        flux.RegisterHandler(MessageType.Request, "content.stats-get", StatsGet, FluxRole.All);
        ContentLog.Loaded(log, _hash.Name, _purgeTarget);
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        var lost = _dirtyCount;
        if (lost > 0)
        {
            ContentLog.DirtyLost(log, lost);
        }
        foreach (var w in _flushWaiters)
        {
            flux.RespondError(w, Errno.ENOSYS, "content module unloading");
        }
        _flushWaiters.Clear();
        // An instance with a backing store meant to keep them: failing the unload makes the broker's
        // exit status say so. Without one, blobs live in memory by design.
        if (lost > 0 && _hadBacking)
        {
            throw new FluxException(Errno.EIO, $"{lost} blobs could not be written to the backing store and are lost");
        }
        return ValueTask.CompletedTask;
    }

    private static long SizeSetting(string? value, string name, long defaultValue)
    {
        if (value is null)
        {
            return defaultValue;
        }
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FluxException(Errno.EINVAL, $"{name}: expected a positive number of bytes, got '{value}'");
    }

    // content.store: one raw blob, answered with its raw digest.
    private ValueTask Store(Message msg) => StoreAll(msg, [msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty]);

    // content.store-batch: BlobBatch framing, answered with the digests in order.
    private ValueTask StoreBatch(Message msg) => StoreAll(msg, BlobBatch.Decode(msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty));

    // Every blob is checked before any is stored, so a refused request stores nothing.
    private ValueTask StoreAll(Message msg, List<ReadOnlyMemory<byte>> blobs)
    {
        foreach (var blob in blobs)
        {
            CheckSize(blob);
        }
        var digests = new byte[blobs.Count * _hash.DigestSize];
        for (var i = 0; i < blobs.Count; i++)
        {
            Add(blobs[i]).CopyTo(digests, i * _hash.DigestSize);
        }
        flux.RespondRaw(msg, digests);
        KickFlush();
        return ValueTask.CompletedTask;
    }

    private void CheckSize(ReadOnlyMemory<byte> blob)
    {
        if (blob.Length > _blobLimit)
        {
            throw new FluxException(Errno.EFBIG, $"blob of {blob.Length} bytes exceeds the {_blobLimit}-byte limit (content.blob-size-limit)");
        }
    }

    // Puts a blob in the cache (dirty when new) and returns its raw digest.
    private byte[] Add(ReadOnlyMemory<byte> blob)
    {
        var digest = _hash.Digest(blob.Span);
        var key = _hash.ToBlobref(digest);
        _stores++;
        if (_cache.TryGetValue(key, out var e))
        {
            Touch(key, e);
        }
        else
        {
            e = new Entry(blob.ToArray()) { Dirty = true };
            _cache[key] = e;
            _size += e.Data.Length;
            _dirtyCount++;
            _dirty.Enqueue(key);
        }
        return digest;
    }

    private async ValueTask Load(Message msg)
    {
        var digest = msg.Payload.Span;
        _hash.CheckDigest(digest);
        var key = _hash.ToBlobref(digest);
        _loads++;
        if (_cache.TryGetValue(key, out var e))
        {
            Touch(key, e);
            flux.RespondRaw(msg, e.Data);
            return;
        }
        if (_backing is null)
        {
            throw new FluxException(Errno.ENOENT, $"{key}: no such blob");
        }
        _misses++;
        var req = new Message(MessageType.Request) { Topic = _backing + ".load", NodeIdTarget = NodeId.Any };
        req.SetPayload(digest.ToArray());
        Message resp;
        try
        {
            resp = await flux.RequestAsync(req);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, $"{key}: no such blob");
        }
        if (!_cache.TryGetValue(key, out e))
        {
            e = new Entry(resp.Payload.ToArray());
            _cache[key] = e;
            _size += e.Data.Length;
            e.Node = _lru.AddLast(key);
            Purge();
        }
        flux.RespondRaw(msg, e.Data);
    }

    private ValueTask Flush(Message msg)
    {
        if (_backing is null)
        {
            throw new FluxException(Errno.ENOSYS, "content flush: there is no backing store");
        }
        if (_dirtyCount == 0)
        {
            flux.Respond(msg);
            return ValueTask.CompletedTask;
        }
        _flushError = null;
        _flushWaiters.Add(msg);
        KickFlush();
        return ValueTask.CompletedTask;
    }

    private ValueTask DropCache(Message msg)
    {
        var dropped = 0;
        foreach (var key in _lru)
        {
            if (_cache.Remove(key, out var e))
            {
                _size -= e.Data.Length;
                dropped++;
            }
        }
        _lru.Clear();
        ContentLog.Dropped(log, dropped);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask RegisterBacking(Message msg)
    {
        var o = msg.GetJson();
        var name = o["name"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "register-backing: missing name");
        if (_backing is not null)
        {
            throw new FluxException(Errno.EBUSY, $"backing store '{_backing}' is already registered");
        }
        _backing = "content-backing";
        _hadBacking = true;
        _backingBatches = o["batch"]?.GetValue<bool>() == true;
        ContentLog.BackingRegistered(log, name, _backingBatches ? " (batched writes)" : string.Empty);
        flux.Respond(msg);
        KickFlush();
        return ValueTask.CompletedTask;
    }

    private async ValueTask UnregisterBacking(Message msg)
    {
        if (_backing is null)
        {
            throw new FluxException(Errno.ENOENT, "no backing store is registered");
        }
        // Write every dirty blob back before the store goes away.
        while (_dirtyCount > 0 && _flushError is null)
        {
            var done = new TaskCompletionSource();
            _unregisterWaiter = done;
            KickFlush();
            await done.Task;
        }
        _backing = null;
        _backingBatches = false;
        ContentLog.BackingUnregistered(log);
        flux.Respond(msg);
    }

    private async ValueTask CheckpointGet(Message msg)
    {
        var key = msg.GetJsonOrNull()?["key"]?.GetValue<string>() ?? "kvs-primary";
        if (_backing is not null)
        {
            flux.Respond(msg, await flux.RpcAsync(_backing + ".checkpoint-get", new JsonObject { ["key"] = key }));
            return;
        }
        if (!_memoryCheckpoints.TryGetValue(key, out var value))
        {
            throw new FluxException(Errno.ENOENT, $"no checkpoint named '{key}'");
        }
        flux.Respond(msg, new JsonObject { ["value"] = value.DeepClone() });
    }

    private async ValueTask CheckpointPut(Message msg)
    {
        var o = msg.GetJson();
        var key = o["key"]?.GetValue<string>() ?? "kvs-primary";
        var value = o["value"] ?? throw new FluxException(Errno.EPROTO, "checkpoint-put: missing value");
        if (_backing is not null)
        {
            await flux.RpcAsync(_backing + ".checkpoint-put", new JsonObject { ["key"] = key, ["value"] = value.DeepClone() });
        }
        else
        {
            _memoryCheckpoints[key] = value.DeepClone();
        }
        flux.Respond(msg);
    }

    private ValueTask StatsGet(Message msg)
    {
        flux.Respond(msg, new JsonObject
        {
            ["count"] = _cache.Count,
            ["valid"] = _cache.Count,
            ["dirty"] = _dirtyCount,
            ["size"] = _size,
            ["clean"] = _lru.Count,
            ["flush-batch-count"] = _inFlight,
            ["purge-target-size"] = _purgeTarget,
            ["stores"] = _stores,
            ["loads"] = _loads,
            ["misses"] = _misses,
            ["backing"] = _backing is not null,
            ["hash"] = _hash.Name,
        });
        return ValueTask.CompletedTask;
    }

    private void Touch(string key, Entry e)
    {
        if (e.Node is { } node)
        {
            _lru.Remove(node);
            _lru.AddLast(node);
        }
    }

    private void Purge()
    {
        while (_size > _purgeTarget && _lru.First is { } oldest)
        {
            _lru.RemoveFirst();
            if (_cache.Remove(oldest.Value, out var e))
            {
                _size -= e.Data.Length;
            }
        }
    }

    private sealed class Entry(byte[] data)
    {
        public byte[] Data { get; } = data;

        public bool Dirty { get; set; }

        public LinkedListNode<string>? Node { get; set; }
    }
}
