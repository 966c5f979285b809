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
        return txn.Done.Task;
    }

    // A commit loop that failed other than by an RFC 6 error: the transactions it was applying and
    // those queued behind them are answered with the error instead of waiting for a loop that is gone.
    private void FailPending(KvsNamespace ns, Exception ex)
    {
        var error = ex as FluxException ?? new FluxException(Errno.EIO, $"commit failed: {ex.GetType().Name}: {ex.Message}", ex);
        foreach (var t in (ns.Applying ?? []).Concat(ns.Queue))
        {
            if (!t.Done.Task.IsCompleted)
            {
                Fail(t, error);
            }
        }
        ns.Applying = null;
        ns.Queue.Clear();
    }

    private async Task CommitLoopAsync(KvsNamespace ns)
    {
        ns.Committing = true;
        try
        {
            while (ns.Queue.Count > 0)
            {
                var batch = TakeBatch(ns);
                ns.Applying = batch;
                if (ns.Removed)
                {
                    foreach (var t in batch)
                    {
                        Fail(t, new FluxException(Errno.EOPNOTSUPP, $"namespace '{ns.Name}' was removed"));
                    }
                    continue;
                }
                try
                {
                    await ApplyAsync(ns, batch);
                }
                catch (FluxException) when (batch.Count > 1)
                {
                    // One transaction of the merged batch failed: apply each alone so the others succeed.
                    foreach (var t in batch)
                    {
                        try
                        {
                            await ApplyAsync(ns, [t]);
                        }
                        catch (FluxException ex)
                        {
                            Fail(t, ex);
                        }
                    }
                }
                catch (FluxException ex)
                {
                    Fail(batch[0], ex);
                }
            }
        }
        finally
        {
            ns.Committing = false;
        }
        ns.Applying = null;
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

    private async Task ApplyAsync(KvsNamespace ns, List<Transaction> batch)
    {
        var newBlobs = new List<byte[]>();
        var root = new MutableDir(ns.RootDir);
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
        // Durable before anything else sees the new root (one batch of a namespace at a time: its
        // sequence number is the next one).
        await _writer.WriteAsync(ns.Name, new NamespaceRoot(ns.Name, ns.Owner, ns.Flags, rootref, ns.Seq + 1), newBlobs);
        var rootDir = await _cache.LoadDirAsync(rootref);
        if (ns.Removed)
        {
            throw new FluxException(Errno.EOPNOTSUPP, $"namespace '{ns.Name}' was removed");
        }
        var seq = ns.SetRoot(rootref, rootDir);
        _commits++;
        _commitsSinceGc++;
        PublishSetroot(ns, keys);
        var sync = false;
        foreach (var t in batch)
        {
            sync |= (t.Flags & KvsCommitFlags.Sync) != 0;
        }
        if (sync)
        {
            await CheckpointAsync(final: false);
        }
        var response = CommitResponse(rootref, seq);
        foreach (var t in batch)
        {
            if (t.Request is { } req)
            {
                flux.RespondRaw(req, response);
            }
            t.Done.TrySetResult((rootref, seq));
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
