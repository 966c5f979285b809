// content-sqlite's writes: journaled and answered on the loop, written to SQLite behind it in large batches.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

public sealed partial class ContentSqliteModule
{
    private const string JournalSeqKey = "journal-seq";
    private const int Enospc = 28;

    /// <summary>
    /// How long the write-behind waits for records to gather before its transaction: one SQLite
    /// transaction per KVS commit cost a third of the commit rate, one per few dozen costs little.
    /// </summary>
    private static readonly TimeSpan WriteBehindDelay = TimeSpan.FromMilliseconds(10);

    // Writes join the batch of this turn of the loop: the first one yields, so that every write
    // already queued on the loop shares its journal write, then journals them and answers them all.
    private async ValueTask Enqueue(Message msg, ReadOnlyMemory<byte> record, List<ReadOnlyMemory<byte>> blobs, CheckpointFrame? checkpoint, bool json = false)
    {
        var digests = new byte[blobs.Count * _hash.DigestSize];
        var each = new byte[blobs.Count][];
        for (var i = 0; i < blobs.Count; i++)
        {
            each[i] = _hash.Digest(blobs[i].Span);
            each[i].CopyTo(digests, i * _hash.DigestSize);
        }
        _pending.Add(new PendingWrite(msg, json ? null : digests, new Record(0, each, blobs, checkpoint), record));
        if (_pending.Count == 1)
        {
            await Task.Yield();
            WritePending();
        }
    }

    /// <summary>
    /// The journal record of a write: its frames as <c>content-backing.commit</c> carries them (the
    /// checkpoint frame, empty when there is none, then the blobs). Nothing without a journal.
    /// </summary>
    private ReadOnlyMemory<byte> JournalRecord(ReadOnlyMemory<byte> checkpointFrame, List<ReadOnlyMemory<byte>> blobs) =>
        _journal is null ? ReadOnlyMemory<byte>.Empty : BlobBatch.Encode([checkpointFrame, .. blobs]);

    private static byte[] CheckpointRecordFrame(string key, JsonNode value) =>
        System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["key"] = key, ["value"] = value.DeepClone(), ["history"] = true }.ToJsonString());

    // The batch is appended to the journal with one write and answered; SQLite gets it behind. A
    // failed journal write (a full disk) is answered with its error, and nothing of it is kept.
    private void WritePending()
    {
        if (_pending.Count == 0 || _store is null)
        {
            return;
        }
        var batch = _pending.ToArray();
        _pending.Clear();
        if (_journal is { } journal)
        {
            try
            {
                journal.Append([.. batch.Select(w => w.JournalRecord)]);
            }
            catch (IOException ex)
            {
                var (errnum, text) = ex.HResult == Enospc
                    ? (Errno.ENOSPC, $"No space left on device: cannot write {journal.Path} ({ex.Message})")
                    : (Errno.EIO, $"cannot write {journal.Path}: {ex.Message}");
                ContentSqliteLog.WriteFailed(log, batch.Length, text);
                foreach (var w in batch)
                {
                    flux.RespondError(w.Request, errnum, text);
                }
                return;
            }
        }
        foreach (var w in batch)
        {
            var r = w.Write with { Seq = ++_lastSeq };
            Remember(r);
            _behind.Add(r);
            if (w.Response is null)
            {
                flux.Respond(w.Request);
            }
            else
            {
                flux.RespondRaw(w.Request, w.Response);
            }
        }
        StoreBehindSoon();
    }

    // Until SQLite holds them, a record's blobs and checkpoint are served from memory.
    private void Remember(Record r)
    {
        for (var i = 0; i < r.Digests.Length; i++)
        {
            _unwritten[r.Digests[i]] = new Unwritten(r.Blobs[i], r.Seq);
        }
        if (r.Checkpoint is { } cp)
        {
            _checkpoints[cp.Key] = cp.Value;
        }
    }

    private void StoreBehindSoon()
    {
        if (_storing is null && _behind.Count > 0 && _writer is not null)
        {
            _storing = StoreBehindAsync();
            flux.Background(_storing, "write-behind");
        }
    }

    // Off the loop, on a connection of its own: the loop goes on journaling, answering and reading.
    // A failed transaction (a full disk) leaves its records queued, to be tried again with the next
    // write and at unload; the journal keeps them meanwhile.
    private async Task StoreBehindAsync()
    {
        try
        {
            await Task.Delay(WriteBehindDelay);
            while (_behind.Count > 0 && _writer is { } writer)
            {
                var batch = _behind;
                _behind = [];
                try
                {
                    await Task.Run(() => Write(writer, batch));
                }
                catch (SqliteException ex)
                {
                    _behind.InsertRange(0, batch);
                    ContentSqliteLog.WriteBehindFailed(log, batch.Count, ex.Message);
                    return;
                }
                Stored(batch[^1].Seq, batch);
            }
        }
        finally
        {
            _storing = null;
        }
    }

    // Everything journaled is in SQLite (or failed to get there): for unload and the stats.
    private async Task CatchUpAsync()
    {
        WritePending();
        StoreBehindSoon();
        if (_storing is { } running)
        {
            await running;
        }
    }

    private void Stored(long seq, List<Record> batch)
    {
        foreach (var r in batch)
        {
            foreach (var d in r.Digests)
            {
                if (_unwritten.TryGetValue(d, out var u) && u.Seq <= seq)
                {
                    _unwritten.Remove(d);
                }
            }
        }
        if (_journal is { } journal)
        {
            try
            {
                journal.Stored(seq);
            }
            catch (IOException ex)
            {
                ContentSqliteLog.JournalTrimFailed(log, journal.Path, ex.Message);
            }
        }
    }

    /// <summary>
    /// Writes records in one transaction, with the highest sequence number among them (the journal
    /// is replayed from there); the commit folds the WAL into the database once it holds
    /// <see cref="WalCheckpointPages"/> pages (the connection's autocheckpoint). A failed
    /// transaction is rolled back (the store is usable again once the cause is gone) and thrown.
    /// </summary>
    private static void Write(SqliteStore db, List<Record> batch)
    {
        try
        {
            db.Begin();
            foreach (var r in batch)
            {
                db.StoreMany(r.Digests, r.Blobs);
            }
            WriteCheckpoints(db, batch);
            db.SetMeta(JournalSeqKey, batch[^1].Seq.ToString(CultureInfo.InvariantCulture));
            db.Commit();
        }
        catch (SqliteException ex)
        {
            db.Rollback();
            if (ex.SqliteErrorCode == SqliteFull)
            {
                db.TryTruncateWal();
            }
            throw;
        }
    }

    // The records' checkpoints as if written one by one: a record marked history (checkpoint-put, a
    // KVS checkpoint) is a new row of the kept history; any other renews the newest row of its key.
    private static void WriteCheckpoints(SqliteStore db, List<Record> batch)
    {
        var pending = new Dictionary<string, (string Value, bool NewRow)>(StringComparer.Ordinal);
        foreach (var r in batch)
        {
            if (r.Checkpoint is not { } cp)
            {
                continue;
            }
            if (cp.History && pending.Remove(cp.Key, out var before))
            {
                Put(db, cp.Key, before);
            }
            pending[cp.Key] = (cp.Value, cp.History || (pending.TryGetValue(cp.Key, out var p) && p.NewRow));
        }
        foreach (var (key, value) in pending)
        {
            Put(db, key, value);
        }

        static void Put(SqliteStore db, string key, (string Value, bool NewRow) v)
        {
            if (v.NewRow)
            {
                db.PutCheckpoint(key, v.Value);
            }
            else
            {
                db.UpdateCheckpoint(key, v.Value);
            }
        }
    }

    /// <summary>The RFC 6 error for a failed write: ENOSPC for a full disk (SQLITE_FULL), else EIO.</summary>
    private (int Errnum, string Text) Failure(SqliteException ex) =>
        ex.SqliteErrorCode == SqliteFull
            ? (Errno.ENOSPC, $"No space left on device: cannot write {Db.Path} ({ex.Message})")
            : (Errno.EIO, $"cannot write {Db.Path}: {ex.Message}");

    /// <summary>A write as SQLite takes it; <paramref name="Seq"/> is its journal record's number.</summary>
    private sealed record Record(long Seq, byte[][] Digests, List<ReadOnlyMemory<byte>> Blobs, CheckpointFrame? Checkpoint);

    private sealed record PendingWrite(Message Request, byte[]? Response, Record Write, ReadOnlyMemory<byte> JournalRecord);

    private readonly record struct Unwritten(ReadOnlyMemory<byte> Blob, long Seq);

    /// <summary>Raw digests compared by value; a digest's first bytes are as good as any hash.</summary>
    private sealed class DigestComparer : IEqualityComparer<byte[]>
    {
        public static readonly DigestComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length >= 4 ? BitConverter.ToInt32(obj, 0) : obj.Length;
    }
}
