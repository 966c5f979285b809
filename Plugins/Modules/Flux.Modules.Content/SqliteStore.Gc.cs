// Garbage collection of the content-sqlite database: mark from the checkpointed KVS roots, sweep the rest.
using System.Text.Json;
using Flux.Formats;
using Microsoft.Data.Sqlite;

namespace Flux.Modules.Content;

internal sealed partial class SqliteStore
{
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
}
