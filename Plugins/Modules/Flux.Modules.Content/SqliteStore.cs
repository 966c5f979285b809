// The content-sqlite database: blobs by digest (RFC 10), checkpoints, the clean-shutdown marker, GC.
using System.IO.Compression;
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

/// <summary>
/// One SQLite database in WAL mode, as flux-core's content-sqlite keeps it: <c>objects</c> holds
/// each blob once by raw digest (blobs of 4 KiB or more, such as large directories, are stored
/// deflated when that makes them smaller; smaller ones are not worth a compressor's set-up:
/// <c>size</c> is always the original length), <c>checkpt</c> the newest checkpoints of
/// each key, <c>meta</c> small facts such as the marker of a running instance. Writes go in batches:
/// <see cref="Begin"/> opens a transaction that <see cref="Commit"/> ends, or <see cref="Rollback"/>
/// abandons after a failed write (a disk full, say) so that the next batch starts clean.
/// </summary>
internal sealed partial class SqliteStore : IDisposable
{
    private const int CompressThreshold = 4096;
    private const int CheckpointsKept = 5;
    private const int RowsPerInsert = 32;
    private readonly string _path;
    private SqliteConnection _db;
    private Statements _st;
    private SqliteTransaction? _txn;

    private readonly bool _durable;
    private readonly int _walAutoCheckpointPages;

    private SqliteStore(string path, bool durable, int walAutoCheckpointPages)
    {
        _path = path;
        _durable = durable;
        _walAutoCheckpointPages = walAutoCheckpointPages;
        _db = Connect(path, durable, walAutoCheckpointPages);
        _st = new Statements(_db);
    }

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <summary>Opens (creating if needed) the database at a path.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="durable">
    /// Whether the database must survive a power loss at its WAL checkpoints (<c>synchronous=NORMAL</c>,
    /// a statedir). A private temporary store, removed when the instance exits, is never read again
    /// after a crash, so it is written without any sync (<c>synchronous=OFF</c>), as flux-core's
    /// content-sqlite writes its store in the rundir.
    /// </param>
    /// <param name="walAutoCheckpointPages">
    /// After a commit on this connection that leaves the WAL with at least this many pages, SQLite
    /// folds it into the database (a passive checkpoint, with its syncs) on the committing thread;
    /// 0: never on this connection. The write-behind's connection sets it, so that checkpoints run
    /// off the loop and only once the WAL has grown by that much since the last one (the WAL file
    /// keeps its size once reused, so its length says nothing of what it holds).
    /// </param>
    public static SqliteStore Open(string path, bool durable = true, int walAutoCheckpointPages = 0) => new(path, durable, walAutoCheckpointPages);

    private static SqliteConnection Connect(string path, bool durable, int walAutoCheckpointPages)
    {
        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate };
        var db = new SqliteConnection(csb.ToString());
        db.Open();
        // WAL with synchronous=NORMAL: a committed transaction survives the death of the process (the
        // WAL is in the file system); only a power loss can take the last ones. A temporary store
        // (not durable) is never read after a crash, so nothing is synced at all.
        Exec(db, "PRAGMA journal_mode=WAL");
        Exec(db, durable ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=OFF");
        Exec(db, "PRAGMA cache_size=-4000");
        // Folding the WAL into the database (and syncing) is left to the write-behind's connection,
        // which does it off the loop once the WAL is large (walAutoCheckpointPages).
        Exec(db, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint={walAutoCheckpointPages}"));
        Exec(db, """
            CREATE TABLE IF NOT EXISTS objects(id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, size INTEGER NOT NULL, object BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS checkpt(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
        return db;
    }

    /// <summary>Opens a write batch (a transaction).</summary>
    public void Begin() => _txn ??= _db.BeginTransaction();

    /// <summary>Commits the open batch, if any; when the commit fails the batch is rolled back.</summary>
    public void Commit()
    {
        if (_txn is not { } t)
        {
            return;
        }
        try
        {
            t.Commit();
        }
        catch (SqliteException)
        {
            Rollback();
            throw;
        }
        _txn = null;
        t.Dispose();
    }

    /// <summary>
    /// Abandons the open batch after a failed write. When SQLite cannot even roll back (its journal
    /// unwritable), the connection is closed and opened again: what was committed is still in the
    /// file, and the next batch must not find a transaction left half open.
    /// </summary>
    public void Rollback()
    {
        if (_txn is not { } t)
        {
            return;
        }
        _txn = null;
        try
        {
            t.Rollback();
            t.Dispose();
        }
        catch (SqliteException)
        {
            Reopen();
        }
    }

    /// <summary>
    /// After a full disk: folds the WAL into the database and truncates it, which gives back the
    /// space of every superseded page version (the KVS rewrites the same directories, so most of a
    /// WAL is such versions). Best effort: when even that cannot be written, the WAL stays.
    /// </summary>
    public void TryTruncateWal()
    {
        try
        {
            Exec(_db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Still no room: the next write fails the same way until space is freed.
        }
    }

    /// <summary>Closes and opens the connection again (after a write left it unusable).</summary>
    public void Reopen()
    {
        _txn = null;
        DisposeConnection();
        _db = Connect(_path, _durable, _walAutoCheckpointPages);
        _st = new Statements(_db);
    }

    /// <summary>Stores a blob under its digest (a blob already present is left as it is).</summary>
    public void Store(byte[] digest, ReadOnlySpan<byte> blob)
    {
        _st.Insert.Transaction = _txn;
        _st.Insert.Parameters[0].Value = digest;
        _st.Insert.Parameters[1].Value = blob.Length;
        _st.Insert.Parameters[2].Value = blob.Length >= CompressThreshold ? Compress(blob) : blob.ToArray();
        _st.Insert.ExecuteNonQuery();
    }

    /// <summary>Stores blobs under their digests, as <see cref="Store"/> does one.</summary>
    public void StoreMany(IReadOnlyList<byte[]> digests, IReadOnlyList<ReadOnlyMemory<byte>> blobs)
    {
        var i = 0;
        for (; i + RowsPerInsert <= blobs.Count; i += RowsPerInsert)
        {
            _st.InsertMany.Transaction = _txn;
            for (var r = 0; r < RowsPerInsert; r++)
            {
                var blob = blobs[i + r].Span;
                _st.InsertMany.Parameters[3 * r].Value = digests[i + r];
                _st.InsertMany.Parameters[(3 * r) + 1].Value = blob.Length;
                _st.InsertMany.Parameters[(3 * r) + 2].Value = blob.Length >= CompressThreshold ? Compress(blob) : blob.ToArray();
            }
            _st.InsertMany.ExecuteNonQuery();
        }
        for (; i < blobs.Count; i++)
        {
            Store(digests[i], blobs[i].Span);
        }
    }

    /// <summary>Loads a blob by digest, or null when absent.</summary>
    public byte[]? Load(byte[] digest)
    {
        _st.Select.Transaction = _txn;
        _st.Select.Parameters[0].Value = digest;
        using var r = _st.Select.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }
        var size = r.GetInt64(0);
        var data = (byte[])r.GetValue(1);
        return data.Length == size ? data : Decompress(data, (int)size);
    }

    /// <summary>Records a checkpoint value (JSON) under a key, keeping the newest few.</summary>
    public void PutCheckpoint(string key, string value)
    {
        _st.PutCheckpoint.Transaction = _txn;
        _st.PutCheckpoint.Parameters[0].Value = key;
        _st.PutCheckpoint.Parameters[1].Value = value;
        _st.PutCheckpoint.ExecuteNonQuery();
        _st.PruneCheckpoints.Transaction = _txn;
        _st.PruneCheckpoints.Parameters[0].Value = key;
        _st.PruneCheckpoints.Parameters[1].Value = CheckpointsKept;
        _st.PruneCheckpoints.ExecuteNonQuery();
    }

    /// <summary>
    /// Replaces the value of the newest checkpoint of a key (or records the first): the KVS renews its
    /// record with every commit, and a row per commit would only churn the table.
    /// </summary>
    public void UpdateCheckpoint(string key, string value)
    {
        _st.UpdateCheckpoint.Transaction = _txn;
        _st.UpdateCheckpoint.Parameters[0].Value = key;
        _st.UpdateCheckpoint.Parameters[1].Value = value;
        if (_st.UpdateCheckpoint.ExecuteNonQuery() == 0)
        {
            PutCheckpoint(key, value);
        }
    }

    /// <summary>The newest checkpoint value of a key, or null.</summary>
    public string? GetCheckpoint(string key)
    {
        using var cmd = Command("SELECT value FROM checkpt WHERE key = $k ORDER BY id DESC LIMIT 1");
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>A value of the meta table, or null.</summary>
    public string? GetMeta(string key)
    {
        using var cmd = Command("SELECT value FROM meta WHERE key = $k");
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Sets (or with null, deletes) a value of the meta table, durably.</summary>
    public void SetMeta(string key, string? value)
    {
        using var cmd = Command(value is null ? "DELETE FROM meta WHERE key = $k" : "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)");
        cmd.Parameters.AddWithValue("$k", key);
        if (value is not null)
        {
            cmd.Parameters.AddWithValue("$v", value);
        }
        cmd.ExecuteNonQuery();
    }

    /// <summary>The number of blobs stored.</summary>
    public long Count()
    {
        using var cmd = Command("SELECT count(*) FROM objects");
        return (long)cmd.ExecuteScalar()!;
    }

    /// <inheritdoc />
    public void Dispose() => Close(checkpoint: true);

    /// <summary>
    /// Closes the database: with <paramref name="checkpoint"/>, commits the open batch and folds the
    /// WAL into the database first; without, abandons the open batch and leaves the WAL as it is (a
    /// temporary store about to be deleted).
    /// </summary>
    public void Close(bool checkpoint)
    {
        if (!checkpoint)
        {
            _txn?.Dispose();
            _txn = null;
            DisposeConnection();
            return;
        }
        Commit();
        try
        {
            Exec(_db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // The WAL is folded in at the next open instead.
        }
        DisposeConnection();
    }

    private void DisposeConnection()
    {
        _st.Dispose();
        _db.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection db, string sql, params string[] names)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        }
        cmd.Prepare();
        return cmd;
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _txn;
        return cmd;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static byte[] Compress(ReadOnlySpan<byte> blob)
    {
        using var ms = new MemoryStream(blob.Length / 2 + 16);
        using (var z = new DeflateStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(blob);
        }
        return ms.Length < blob.Length ? ms.ToArray() : blob.ToArray();
    }

    private static byte[] Decompress(byte[] data, int size)
    {
        var result = new byte[size];
        using var z = new DeflateStream(new MemoryStream(data), CompressionMode.Decompress);
        z.ReadExactly(result);
        return result;
    }
}
