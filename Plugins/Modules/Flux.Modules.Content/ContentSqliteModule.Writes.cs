// content-sqlite's writes: one transaction per turn of the loop, rolled back on failure, WAL folded in aside.
using Flux.Abstractions;
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

public sealed partial class ContentSqliteModule
{
    // Writes join the batch of this turn of the loop: the first one yields, so that every write
    // already queued on the loop shares its transaction, then commits it and answers them all.
    private async ValueTask Enqueue(Message msg, List<ReadOnlyMemory<byte>> blobs, CheckpointFrame? checkpoint, bool json = false)
    {
        var digests = new byte[blobs.Count * _hash.DigestSize];
        var each = new byte[blobs.Count][];
        for (var i = 0; i < blobs.Count; i++)
        {
            each[i] = _hash.Digest(blobs[i].Span);
            each[i].CopyTo(digests, i * _hash.DigestSize);
        }
        _pending.Add(new PendingWrite(msg, json ? null : digests, each, blobs, checkpoint));
        if (_pending.Count == 1)
        {
            await Task.Yield();
            WritePending();
        }
    }

    // A failed transaction is rolled back (the store is usable again once the cause is gone) and
    // every request in it answered with the error: ENOSPC when the disk is full.
    private void WritePending()
    {
        if (_pending.Count == 0 || _store is not { } db)
        {
            return;
        }
        var batch = _pending.ToArray();
        _pending.Clear();
        try
        {
            db.Begin();
            foreach (var w in batch)
            {
                db.StoreMany(w.Digests, w.Blobs);
            }
            WriteCheckpoints(db, batch);
            db.Commit();
        }
        catch (SqliteException ex)
        {
            var (errnum, text) = Failure(ex);
            ContentSqliteLog.WriteFailed(log, batch.Length, text);
            foreach (var w in batch)
            {
                flux.RespondError(w.Request, errnum, text);
            }
            db.Rollback();
            if (ex.SqliteErrorCode == SqliteFull)
            {
                db.TryTruncateWal();
            }
            return;
        }
        CheckpointWalSoon(db);
        foreach (var w in batch)
        {
            if (w.Response is null)
            {
                flux.Respond(w.Request);
            }
            else
            {
                flux.RespondRaw(w.Request, w.Response);
            }
        }
    }

    // Once the WAL holds 4 MiB, it is folded into the database off the loop, and then the frames
    // written meanwhile on the loop, so that the next write starts the WAL over.
    private void CheckpointWalSoon(SqliteStore db)
    {
        if (++_writesSinceWalCheck < WalCheckEvery || _walCheckpoint is { IsCompleted: false })
        {
            return;
        }
        _writesSinceWalCheck = 0;
        if (db.WalBytes >= WalCheckpointBytes)
        {
            _walCheckpoint = CheckpointWalAsync(db);
            flux.Background(_walCheckpoint, "WAL checkpoint");
        }
    }

    private async Task CheckpointWalAsync(SqliteStore db)
    {
        try
        {
            await Task.Run(db.CheckpointWalAside);
            if (ReferenceEquals(_store, db))
            {
                db.CheckpointWal();
            }
        }
        catch (SqliteException ex)
        {
            // A full disk, say: the WAL stays until the next try, and the writes go on.
            ContentSqliteLog.WalCheckpointFailed(log, ex.Message);
        }
        finally
        {
            _walCheckpoint = null;
        }
    }

    // Several commits in one batch: the newest record of each key is the one that counts.
    private static void WriteCheckpoints(SqliteStore db, PendingWrite[] batch)
    {
        List<string>? written = null;
        for (var i = batch.Length - 1; i >= 0; i--)
        {
            if (batch[i].Checkpoint is not { } cp || (written?.Contains(cp.Key) ?? false))
            {
                continue;
            }
            // A checkpoint (checkpoint-put, or a commit's record marked history) is kept in the
            // history; any other commit's record renews the newest.
            if (cp.History)
            {
                db.PutCheckpoint(cp.Key, cp.Value);
            }
            else
            {
                db.UpdateCheckpoint(cp.Key, cp.Value);
            }
            (written ??= []).Add(cp.Key);
        }
    }

    /// <summary>The RFC 6 error for a failed write: ENOSPC for a full disk (SQLITE_FULL), else EIO.</summary>
    private (int Errnum, string Text) Failure(SqliteException ex) =>
        ex.SqliteErrorCode == SqliteFull
            ? (Errno.ENOSPC, $"No space left on device: cannot write {Db.Path} ({ex.Message})")
            : (Errno.EIO, $"cannot write {Db.Path}: {ex.Message}");

    private sealed record PendingWrite(Message Request, byte[]? Response, byte[][] Digests, List<ReadOnlyMemory<byte>> Blobs, CheckpointFrame? Checkpoint);
}
