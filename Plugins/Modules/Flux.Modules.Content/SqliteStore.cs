// The content-sqlite database: blobs by digest (RFC 10), checkpoints, the clean-shutdown marker, GC.
using Flux.Formats;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

/// <summary>
/// One SQLite database in WAL mode, as flux-core's content-sqlite keeps it: <c>objects</c> holds
/// each blob once by raw digest (blobs of 4 KiB or more, such as large directories, are stored
/// deflated when that makes them smaller; smaller ones are not worth a compressor's set-up:
/// <c>size</c> is always the original length), <c>checkpt</c> the newest checkpoints of
/// each key, <c>meta</c> small facts such as the marker of a running instance. Writes go in batches:
/// <see cref="Begin"/> opens a transaction that <see cref="Commit"/> ends.
/// </summary>
internal sealed class SqliteStore : IDisposable
{
    private const int CompressThreshold = 4096;
    private const int CheckpointsKept = 5;
    private readonly SqliteConnection _db;
    private const int RowsPerInsert = 32;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _insertMany;
    private readonly SqliteCommand _select;
    private SqliteTransaction? _txn;

    private SqliteStore(SqliteConnection db)
    {
        _db = db;
        _insert = Prepare("INSERT OR IGNORE INTO objects(hash, size, object) VALUES($hash, $size, $object)", "$hash", "$size", "$object");
        // A batch's blobs go RowsPerInsert to a statement: one statement per blob cost more in the
        // driver than in SQLite.
        var rows = Enumerable.Range(0, RowsPerInsert).ToArray();
        _insertMany = Prepare(
            "INSERT OR IGNORE INTO objects(hash, size, object) VALUES" + string.Join(",", rows.Select(i => $"($h{i}, $s{i}, $o{i})")),
            [.. rows.SelectMany(i => new[] { $"$h{i}", $"$s{i}", $"$o{i}" })]);
        _select = Prepare("SELECT size, object FROM objects WHERE hash = $hash", "$hash");
    }

    /// <summary>The database file.</summary>
    public string Path => _db.DataSource;

    /// <summary>Whether a write batch is open.</summary>
    public bool InBatch => _txn is not null;

    /// <summary>Opens (creating if needed) the database at a path.</summary>
    public static SqliteStore Open(string path)
    {
        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate };
        var db = new SqliteConnection(csb.ToString());
        db.Open();
        Exec(db, "PRAGMA journal_mode=WAL");
        Exec(db, "PRAGMA synchronous=NORMAL");
        Exec(db, "PRAGMA cache_size=-4000");
        Exec(db, """
            CREATE TABLE IF NOT EXISTS objects(id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, size INTEGER NOT NULL, object BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS checkpt(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
        return new SqliteStore(db);
    }

    /// <summary>Opens a write batch (a transaction).</summary>
    public void Begin() => _txn ??= _db.BeginTransaction();

    /// <summary>Commits the open batch, if any.</summary>
    public void Commit()
    {
        if (_txn is { } t)
        {
            _txn = null;
            t.Commit();
            t.Dispose();
        }
    }

    /// <summary>Stores a blob under its digest (a blob already present is left as it is).</summary>
    public void Store(byte[] digest, ReadOnlySpan<byte> blob)
    {
        _insert.Transaction = _txn;
        _insert.Parameters[0].Value = digest;
        _insert.Parameters[1].Value = blob.Length;
        _insert.Parameters[2].Value = blob.Length >= CompressThreshold ? Compress(blob) : blob.ToArray();
        _insert.ExecuteNonQuery();
    }

    /// <summary>Stores blobs under their digests, as <see cref="Store"/> does one.</summary>
    public void StoreMany(IReadOnlyList<byte[]> digests, IReadOnlyList<ReadOnlyMemory<byte>> blobs)
    {
        var i = 0;
        for (; i + RowsPerInsert <= blobs.Count; i += RowsPerInsert)
        {
            _insertMany.Transaction = _txn;
            for (var r = 0; r < RowsPerInsert; r++)
            {
                var blob = blobs[i + r].Span;
                _insertMany.Parameters[3 * r].Value = digests[i + r];
                _insertMany.Parameters[(3 * r) + 1].Value = blob.Length;
                _insertMany.Parameters[(3 * r) + 2].Value = blob.Length >= CompressThreshold ? Compress(blob) : blob.ToArray();
            }
            _insertMany.ExecuteNonQuery();
        }
        for (; i < blobs.Count; i++)
        {
            Store(digests[i], blobs[i].Span);
        }
    }

    /// <summary>Loads a blob by digest, or null when absent.</summary>
    public byte[]? Load(byte[] digest)
    {
        _select.Transaction = _txn;
        _select.Parameters[0].Value = digest;
        using var r = _select.ExecuteReader();
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
        using var ins = Command("INSERT INTO checkpt(key, value) VALUES($k, $v)");
        ins.Parameters.AddWithValue("$k", key);
        ins.Parameters.AddWithValue("$v", value);
        ins.ExecuteNonQuery();
        using var prune = Command("DELETE FROM checkpt WHERE key = $k AND id NOT IN (SELECT id FROM checkpt WHERE key = $k ORDER BY id DESC LIMIT $n)");
        prune.Parameters.AddWithValue("$k", key);
        prune.Parameters.AddWithValue("$n", CheckpointsKept);
        prune.ExecuteNonQuery();
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

    /// <summary>
    /// Mark and sweep: keeps the blobs reachable from the RFC 11 tree objects named by
    /// <paramref name="roots"/> (and every older checkpoint is dropped), deletes the rest, and
    /// compacts the file. Returns (blobs before, blobs removed).
    /// </summary>
    public (long Before, long Removed) Collect(IEnumerable<byte[]> roots, BlobHash hash)
    {
        Commit();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in roots)
        {
            MarkDir(r, hash, keep);
        }
        var before = Count();
        var doomed = new List<long>();
        using (var all = Command("SELECT id, hash FROM objects"))
        using (var rd = all.ExecuteReader())
        {
            while (rd.Read())
            {
                if (!keep.Contains(Convert.ToHexStringLower((byte[])rd.GetValue(1))))
                {
                    doomed.Add(rd.GetInt64(0));
                }
            }
        }
        Begin();
        using (var del = Command("DELETE FROM objects WHERE id = $id"))
        {
            del.Transaction = _txn;
            var p = del.Parameters.Add("$id", SqliteType.Integer);
            foreach (var id in doomed)
            {
                p.Value = id;
                del.ExecuteNonQuery();
            }
        }
        using (var old = Command("DELETE FROM checkpt WHERE id NOT IN (SELECT max(id) FROM checkpt GROUP BY key)"))
        {
            old.Transaction = _txn;
            old.ExecuteNonQuery();
        }
        Commit();
        Exec(_db, "VACUUM");
        return (before, doomed.Count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Commit();
        _insert.Dispose();
        _insertMany.Dispose();
        _select.Dispose();
        try
        {
            Exec(_db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // The WAL is folded in at the next open instead.
        }
        _db.Dispose();
    }

    private void MarkDir(byte[] digest, BlobHash hash, HashSet<string> keep)
    {
        if (!keep.Add(Convert.ToHexStringLower(digest)))
        {
            return;
        }
        var blob = Load(digest);
        if (blob is null)
        {
            return;
        }
        using var doc = JsonDocument.Parse(blob);
        MarkTreeobj(doc.RootElement, hash, keep);
    }

    private void MarkTreeobj(JsonElement obj, BlobHash hash, HashSet<string> keep)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("type", out var type) || !obj.TryGetProperty("data", out var data))
        {
            return;
        }
        switch (type.GetString())
        {
            case "dir":
                foreach (var entry in data.EnumerateObject())
                {
                    MarkTreeobj(entry.Value, hash, keep);
                }
                break;
            case "dirref":
                foreach (var r in data.EnumerateArray())
                {
                    MarkDir(hash.ToDigest(r.GetString()!), hash, keep);
                }
                break;
            case "valref":
                foreach (var r in data.EnumerateArray())
                {
                    keep.Add(Convert.ToHexStringLower(hash.ToDigest(r.GetString()!)));
                }
                break;
            default:
                break;
        }
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _db.CreateCommand();
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
