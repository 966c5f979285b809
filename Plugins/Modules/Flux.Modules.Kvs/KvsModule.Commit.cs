// kvs.commit: RFC 11 transactions applied to a copy of the tree, merged when several are queued.
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

public sealed partial class KvsModule
{
    /// <summary>Values longer than a blobref are stored as their own blob (a valref), as flux-core does.</summary>
    private const int MaxInlineValue = 72;
    private const int MaxMergedOps = 100_000;

    private ValueTask Commit(Message msg)
    {
        string? nsName;
        KvsCommitFlags flags;
        var ops = new List<TxnOp>();
        using (var doc = JsonDocument.Parse(msg.PayloadWithoutNul))
        {
            var root = doc.RootElement;
            nsName = root.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            flags = root.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Number ? (KvsCommitFlags)f.GetInt32() : KvsCommitFlags.None;
            if (!root.TryGetProperty("ops", out var arr) || arr.ValueKind != JsonValueKind.Array)
            {
                throw new FluxException(Errno.EPROTO, "kvs.commit: missing ops array");
            }
            foreach (var op in arr.EnumerateArray())
            {
                ops.Add(ParseOp(op));
            }
        }
        var ns = Namespace(nsName, msg);
        Enqueue(ns, new Transaction(ops, flags, msg));
        return ValueTask.CompletedTask;
    }

    private TxnOp ParseOp(JsonElement op)
    {
        var key = op.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var path = KvsKey.Split(key);
        if (path.Length == 0)
        {
            throw new FluxException(Errno.EINVAL, "invalid key '.': the root directory cannot be replaced or removed");
        }
        var opFlags = op.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Number ? (KvsFlags)f.GetInt32() : KvsFlags.None;
        TreeObj? dirent = null;
        if (op.TryGetProperty("dirent", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            dirent = TreeObj.FromJson(d);
        }
        var nkey = KvsKey.Join(path);
        if ((opFlags & KvsFlags.Append) != 0 && dirent is not { Type: TreeType.Val })
        {
            throw new FluxException(Errno.EINVAL, $"{nkey}: only a value can be appended");
        }
        if (dirent is { Type: TreeType.Val } v && v.Value.Length > _blobLimit)
        {
            throw new FluxException(Errno.EFBIG, $"{nkey}: value of {v.Value.Length} bytes is over the {_blobLimit}-byte limit (content.blob-size-limit)");
        }
        return new TxnOp(nkey, path, opFlags, dirent);
    }

    /// <summary>Queues a transaction and starts the namespace's commit loop if it is idle.</summary>
    private Task<(string RootRef, long Seq)> Enqueue(KvsNamespace ns, Transaction txn)
    {
        ns.Queue.Enqueue(txn);
        if (!ns.Committing)
        {
            flux.Background(CommitLoopAsync(ns), "commit", onFault: ex => FailPending(ns, ex));
        }
        else
        {
            ns.Arrived();
        }
        return txn.Done.Task;
    }

    // A commit loop that failed other than by an RFC 6 error: the transactions it was applying or
    // writing and those queued behind them are answered with the error instead of waiting for a
    // loop that is gone.
    private void FailPending(KvsNamespace ns, Exception ex)
    {
        var error = ex as FluxException ?? new FluxException(Errno.EIO, $"commit failed: {ex.GetType().Name}: {ex.Message}", ex);
        foreach (var t in ns.Writing.SelectMany(w => w.Batch).Concat(ns.Applying ?? []).Concat(ns.Queue))
        {
            if (!t.Done.Task.IsCompleted)
            {
                Fail(t, error);
            }
        }
        ns.Applying = null;
        ns.Writing.Clear();
        ns.Queue.Clear();
    }

    private static List<Transaction> TakeBatch(KvsNamespace ns)
    {
        var batch = new List<Transaction> { ns.Queue.Dequeue() };
        if ((batch[0].Flags & KvsCommitFlags.NoMerge) != 0)
        {
            return batch;
        }
        var ops = batch[0].Ops.Count;
        while (ns.Queue.TryPeek(out var next) && (next.Flags & KvsCommitFlags.NoMerge) == 0 && ops + next.Ops.Count <= MaxMergedOps)
        {
            batch.Add(ns.Queue.Dequeue());
            ops += next.Ops.Count;
        }
        return batch;
    }

    private void Fail(Transaction t, FluxException ex)
    {
        if (t.Request is { } req)
        {
            flux.RespondError(req, ex.Errnum, ex.Message);
        }
        t.Done.TrySetException(ex);
    }

    /// <summary>
    /// Applies a batch on the namespace's newest root (<see cref="KvsNamespace.Head"/>, which may be
    /// still being written) and hands its blobs and root to the <see cref="RootWriter"/>, without
    /// waiting for them to be stored: <see cref="FinishAsync"/> does, before anything is answered.
    /// </summary>
    private async Task<AppliedBatch> ApplyAsync(KvsNamespace ns, List<Transaction> batch)
    {
        var (_, headDir, headSeq) = ns.Head;
        var newBlobs = new List<byte[]>();
        var root = new MutableDir(headDir);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in batch)
        {
            foreach (var op in t.Ops)
            {
                await ApplyOpAsync(root, op, newBlobs);
                keys.Add(op.Key);
            }
        }
        var rootref = Seal(root, newBlobs);
        var rootDir = await _cache.LoadDirAsync(rootref);
        var previous = ns.Writing.Count > 0 ? ns.Writing[^1].Write : null;
        var write = _writer.WriteAsync(ns.Name, new NamespaceRoot(ns.Name, ns.Owner, ns.Flags, rootref, headSeq + 1), newBlobs, after: previous);
        return new AppliedBatch(batch, rootref, rootDir, headSeq + 1, keys, write);
    }

    /// <summary>
    /// Once a batch's root is durable, installs it, publishes it and answers its transactions. When
    /// its write failed, its transactions get the error, and the batches applied on top of it go back
    /// to the queue, to be applied again on the durable root (their writes fail, never stored).
    /// </summary>
    private async Task FinishAsync(KvsNamespace ns, AppliedBatch applied)
    {
        try
        {
            await applied.Write;
        }
        catch (FluxException ex)
        {
            ns.Writing.RemoveAt(0);
            foreach (var t in applied.Batch)
            {
                Fail(t, ex);
            }
            var again = ns.Writing.SelectMany(w => w.Batch).Concat(ns.Queue).ToList();
            ns.Writing.Clear();
            ns.Queue.Clear();
            foreach (var t in again)
            {
                ns.Queue.Enqueue(t);
            }
            return;
        }
        ns.Writing.RemoveAt(0);
        if (ns.Removed)
        {
            foreach (var t in applied.Batch)
            {
                Fail(t, new FluxException(Errno.EOPNOTSUPP, $"namespace '{ns.Name}' was removed"));
            }
            return;
        }
        var seq = ns.SetRoot(applied.RootRef, applied.RootDir);
        _commits++;
        _commitsSinceGc++;
        PublishSetroot(ns, applied.Keys);
        var sync = false;
        foreach (var t in applied.Batch)
        {
            sync |= (t.Flags & KvsCommitFlags.Sync) != 0;
        }
        if (sync)
        {
            await CheckpointAsync(final: false);
        }
        var response = CommitResponse(applied.RootRef, seq);
        foreach (var t in applied.Batch)
        {
            if (t.Request is { } req)
            {
                flux.RespondRaw(req, response);
            }
            t.Done.TrySetResult((applied.RootRef, seq));
        }
        WakeVersionWaiters(ns);
    }

    private static byte[] CommitResponse(string rootref, long seq)
    {
        var buf = new ArrayBufferWriter<byte>(96);
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("rootref"u8, rootref);
            w.WriteNumber("rootseq"u8, seq);
            w.WriteEndObject();
        }
        buf.Write([(byte)0]);
        return buf.WrittenSpan.ToArray();
    }

    private void PublishSetroot(KvsNamespace ns, HashSet<string> keys)
    {
        var ev = Message.Event(ns.SetrootTopic, new JsonObject
        {
            ["namespace"] = ns.Name,
            ["rootref"] = ns.RootRef,
            ["rootseq"] = ns.Seq,
            ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k)]),
            ["owner"] = ns.Owner,
        });
        try
        {
            flux.Send(ev);
        }
        catch (FluxException ex)
        {
            KvsLog.PublishFailed(log, ev.Topic, ex.Message);
        }
    }

    private async ValueTask ApplyOpAsync(MutableDir root, TxnOp op, List<byte[]> newBlobs)
    {
        var dir = root;
        for (var i = 0; i < op.Path.Length - 1; i++)
        {
            var name = op.Path[i];
            dir.Entries.TryGetValue(name, out var entry);
            switch (entry)
            {
                case MutableDir m:
                    dir = m;
                    continue;
                case TreeObj { Type: TreeType.Dir } t:
                    dir = dir.Replace(name, new MutableDir(t));
                    continue;
                case TreeObj { Type: TreeType.DirRef } t:
                    dir = dir.Replace(name, new MutableDir(await _cache.LoadDirAsync(t.Refs[0])));
                    continue;
                default:
                    if (op.Dirent is null)
                    {
                        return;
                    }
                    // A missing component is created; a value or link in the way is replaced by a directory.
                    dir = dir.Replace(name, new MutableDir(TreeObj.EmptyDir));
                    continue;
            }
        }
        var last = op.Path[^1];
        if (op.Dirent is null)
        {
            dir.Entries.Remove(last);
            return;
        }
        if ((op.Flags & KvsFlags.Append) != 0)
        {
            dir.Entries.TryGetValue(last, out var existing);
            dir.Entries[last] = existing switch
            {
                null => StoreValue(op.Dirent, newBlobs),
                TreeObj { Type: TreeType.Val } v => TreeObj.ValRef(v.Value.Length == 0
                    ? [_cache.AddBlob(op.Dirent.Value, newBlobs)]
                    : [_cache.AddBlob(v.Value, newBlobs), _cache.AddBlob(op.Dirent.Value, newBlobs)]),
                TreeObj { Type: TreeType.ValRef } v => TreeObj.ValRef([.. v.Refs, _cache.AddBlob(op.Dirent.Value, newBlobs)]),
                TreeObj { Type: TreeType.Symlink } => throw new FluxException(Errno.EOPNOTSUPP, $"{op.Key}: cannot append to a symlink"),
                _ => throw new FluxException(Errno.EISDIR, $"{op.Key}: cannot append to a directory"),
            };
            return;
        }
        dir.Entries[last] = op.Dirent.Type == TreeType.Dir ? new MutableDir(op.Dirent) : StoreValue(op.Dirent, newBlobs);
    }

    private TreeObj StoreValue(TreeObj dirent, List<byte[]> newBlobs) =>
        dirent is { Type: TreeType.Val } v && v.Value.Length > MaxInlineValue
            ? TreeObj.ValRef([_cache.AddBlob(v.Value, newBlobs)])
            : dirent;

    /// <summary>Turns a changed directory, bottom-up, into stored dir objects; returns its blobref.</summary>
    private string Seal(MutableDir dir, List<byte[]> newBlobs)
    {
        var entries = new Dictionary<string, TreeObj>(dir.Entries.Count, StringComparer.Ordinal);
        foreach (var (name, e) in dir.Entries)
        {
            entries[name] = e is MutableDir sub ? TreeObj.DirRef(Seal(sub, newBlobs)) : (TreeObj)e;
        }
        return _cache.AddDir(entries.Count == 0 ? TreeObj.EmptyDir : TreeObj.Dir(entries), newBlobs);
    }

    /// <summary>A directory being changed by a commit: entries are tree objects or changed subdirectories.</summary>
    private sealed class MutableDir
    {
        public MutableDir(TreeObj dir)
        {
            Entries = new Dictionary<string, object>(dir.Entries.Count + 1, StringComparer.Ordinal);
            foreach (var (k, v) in dir.Entries)
            {
                Entries[k] = v;
            }
        }

        public Dictionary<string, object> Entries { get; }

        public MutableDir Replace(string name, MutableDir sub)
        {
            Entries[name] = sub;
            return sub;
        }
    }
}
