// The prepared statements of a content-sqlite connection, made again when the connection is.
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

internal sealed partial class SqliteStore
{
    /// <summary>The prepared statements of a connection.</summary>
    private sealed class Statements : IDisposable
    {
        public Statements(SqliteConnection db)
        {
            Insert = Prepare(db, "INSERT OR IGNORE INTO objects(hash, size, object) VALUES($hash, $size, $object)", "$hash", "$size", "$object");
            // A batch's blobs go RowsPerInsert to a statement: one statement per blob cost more in the
            // driver than in SQLite.
            var rows = Enumerable.Range(0, RowsPerInsert).ToArray();
            InsertMany = Prepare(db,
                "INSERT OR IGNORE INTO objects(hash, size, object) VALUES" + string.Join(",", rows.Select(i => $"($h{i}, $s{i}, $o{i})")),
                [.. rows.SelectMany(i => new[] { $"$h{i}", $"$s{i}", $"$o{i}" })]);
            Select = Prepare(db, "SELECT size, object FROM objects WHERE hash = $hash", "$hash");
            PutCheckpoint = Prepare(db, "INSERT INTO checkpt(key, value) VALUES($k, $v)", "$k", "$v");
            PruneCheckpoints = Prepare(db, "DELETE FROM checkpt WHERE key = $k AND id NOT IN (SELECT id FROM checkpt WHERE key = $k ORDER BY id DESC LIMIT $n)", "$k", "$n");
            // The KVS renews its record with every commit: this runs with every write batch.
            UpdateCheckpoint = Prepare(db, "UPDATE checkpt SET value = $v WHERE id = (SELECT max(id) FROM checkpt WHERE key = $k)", "$k", "$v");
        }

        public SqliteCommand Insert { get; }

        public SqliteCommand InsertMany { get; }

        public SqliteCommand Select { get; }

        public SqliteCommand PutCheckpoint { get; }

        public SqliteCommand PruneCheckpoints { get; }

        public SqliteCommand UpdateCheckpoint { get; }

        public void Dispose()
        {
            Insert.Dispose();
            InsertMany.Dispose();
            Select.Dispose();
            PutCheckpoint.Dispose();
            PruneCheckpoints.Dispose();
            UpdateCheckpoint.Dispose();
        }
    }
}
