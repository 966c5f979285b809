// The content-sqlite module: the RFC 10 backing store in statedir/content.sqlite, with checkpoints.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Content;

/// <summary>
/// Serves <c>content-backing.load</c>, <c>.store</c>, <c>.checkpoint-get</c> and
/// <c>.checkpoint-put</c> from an SQLite file in the <c>statedir</c> broker attribute (or a private
/// directory in the broker's rundir, removed at exit, when it is not set), and registers itself with the content
/// module. Stores that arrive together are written in one transaction and answered after it commits.
/// A marker row says an instance is running: finding it at load means the previous one did not shut
/// down cleanly. A write is durable when answered: it is appended to a journal (<see cref="ContentJournal"/>)
/// and written to SQLite behind, in large batches off the loop; the journal records SQLite does not hold
/// yet are replayed at load. A temporary store, which no later instance restarts from, keeps no journal.
/// At unload the content cache writes back everything dirty first; when asked with
/// <c>content-backing.gc-on-unload</c>, the blobs unreachable from the last checkpoint are removed.
/// </summary>
[FluxPlugin("content-sqlite", PluginKind.Module)]
public sealed partial class ContentSqliteModule(IFlux flux, ILogger<ContentSqliteModule> log) : IFluxModule
{
    private const string Service = "content-backing";
    private const string RunningKey = "running";
    private const int SqliteFull = 13;
    // Pages (4 KiB) the WAL may gain before the write-behind's commit folds it into the database (and syncs):
    // four times SQLite's default. The KVS rewrites the same directories, so the longer the WAL, the more
    // of its page versions are superseded before a checkpoint and never written (or synced) twice.
    private const int WalCheckpointPages = 4000;
    private readonly List<PendingWrite> _pending = [];
    private readonly Dictionary<byte[], Unwritten> _unwritten = new(DigestComparer.Instance);
    private readonly Dictionary<string, string> _checkpoints = new(StringComparer.Ordinal);
    private List<Record> _behind = [];
    private BlobHash _hash = BlobHash.Parse(null);
    private SqliteStore? _store;
    private SqliteStore? _writer;
    private ContentJournal? _journal;
    private long _lastSeq;
    private Task? _storing;
    private string? _tempDir;
    private bool _gcOnUnload;
    private bool _registered;

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _hash = BlobHash.Parse(await flux.GetAttrAsync("content.hash", cancellationToken));
        var statedir = await flux.GetAttrAsync("statedir", cancellationToken);
        if (string.IsNullOrEmpty(statedir))
        {
            _tempDir = TemporaryStatedir(await flux.GetAttrAsync("rundir", cancellationToken));
            statedir = _tempDir;
            ContentSqliteLog.TemporaryStatedir(log, _tempDir);
        }
        else
        {
            Directory.CreateDirectory(statedir);
        }
        var path = Path.Combine(statedir, "content.sqlite");
        _store = SqliteStore.Open(path, durable: _tempDir is null);
        _lastSeq = Db.GetMeta(JournalSeqKey) is { } stored ? long.Parse(stored, CultureInfo.InvariantCulture) : 0;
        if (_tempDir is null)
        {
            OpenJournal(Path.Combine(statedir, "content.journal"));
        }
        _writer = SqliteStore.Open(path, durable: _tempDir is null, walAutoCheckpointPages: WalCheckpointPages);
        CheckCleanShutdown(path);
        _store.SetMeta(RunningKey, string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:O}"));
        flux.RegisterHandler(MessageType.Request, Service + ".load", Load);
        flux.RegisterHandler(MessageType.Request, Service + ".store", Store);
        flux.RegisterHandler(MessageType.Request, Service + ".store-batch", StoreBatch);
        flux.RegisterHandler(MessageType.Request, Service + ".commit", CommitBlobs);
        flux.RegisterHandler(MessageType.Request, Service + ".checkpoint-get", CheckpointGet);
        flux.RegisterHandler(MessageType.Request, Service + ".checkpoint-put", CheckpointPut);
        flux.RegisterHandler(MessageType.Request, Service + ".gc-on-unload", GcOnUnload);
        flux.RegisterHandler(MessageType.Request, Service + ".stats-get", Stats, FluxRole.All);
        await flux.AddServiceAsync(Service, cancellationToken);
        await flux.RpcAsync("content.register-backing", new JsonObject { ["name"] = flux.Name ?? "content-sqlite", ["batch"] = true }, NodeId.Any, cancellationToken);
        _registered = true;
        if (log.IsEnabled(LogLevel.Information))
        {
            var count = _store.Count();
            ContentSqliteLog.Opened(log, path, count);
        }
    }

    /// <inheritdoc />
    public async ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }
        if (_registered)
        {
            try
            {
                await flux.RpcAsync("content.unregister-backing", null, NodeId.Any, cancellationToken);
            }
            catch (FluxException ex)
            {
                ContentSqliteLog.FinalWriteBackFailed(log, ex.Message);
            }
        }
        await CatchUpAsync();
        if (_tempDir is not null)
        {
            // A temporary store is removed right below: folding its WAL in, the clean-shutdown mark and
            // a last collection would be written only to be deleted.
            _writer?.Close(checkpoint: false);
            _writer = null;
            _journal?.Dispose();
            _journal = null;
            _store.Close(checkpoint: false);
            _store = null;
            RemoveTemporaryStatedir();
            return;
        }
        _writer?.Dispose();
        _writer = null;
        string? failed = null;
        try
        {
            if (_behind.Count > 0)
            {
                // The write-behind failed last time: once more, and a failure here leaves the journal
                // to be replayed at the next start.
                var batch = _behind;
                _behind = [];
                Write(Db, batch);
                Stored(batch[^1].Seq, batch);
            }
            if (_gcOnUnload)
            {
                CollectGarbage();
            }
            _store.SetMeta(RunningKey, null);
        }
        catch (SqliteException ex)
        {
            // The store is closed all the same: what was committed stays, and the next start finds
            // the marker of a running instance (safe mode) instead of a clean shutdown.
            _store.Rollback();
            failed = Failure(ex).Text;
            ContentSqliteLog.ShutdownWriteFailed(log, failed);
        }
        _journal?.Dispose();
        _journal = null;
        _store.Dispose();
        _store = null;
        if (failed is not null)
        {
            throw new FluxException(Errno.EIO, "the clean-shutdown mark could not be written: " + failed);
        }
    }

    private void RemoveTemporaryStatedir()
    {
        try
        {
            Directory.Delete(_tempDir!, recursive: true);
        }
        catch (IOException ex)
        {
            ContentSqliteLog.RemoveFailed(log, _tempDir!, ex.Message);
        }
    }

    /// <summary>
    /// The private statedir when none is configured: in the broker's rundir, as flux-core keeps its
    /// content.sqlite there, so that when the broker dies by kill -9 (no unload) the next broker's
    /// removal of dead brokers' rundirs takes it too. One left in a given rundir by such a broker is
    /// removed first: a temporary store is never restored. Without a rundir, a temporary folder.
    /// </summary>
    private static string TemporaryStatedir(string? rundir)
    {
        if (string.IsNullOrEmpty(rundir) || !Directory.Exists(rundir))
        {
            return Directory.CreateTempSubdirectory("flux-statedir-").FullName;
        }
        var dir = Path.Combine(rundir, "content-sqlite");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        return dir;
    }

    private SqliteStore Db => _store ?? throw new FluxException(Errno.ENOSYS, "content-sqlite is unloading");

    // The records a killed broker journaled but did not get into SQLite go in now, before anything
    // reads the store; then the journal starts empty.
    private void OpenJournal(string path)
    {
        var records = ContentJournal.Read(path);
        var replay = new List<Record>();
        foreach (var (seq, payload) in records)
        {
            if (seq > _lastSeq)
            {
                replay.Add(Decode(seq, payload));
            }
        }
        if (replay.Count > 0)
        {
            Write(Db, replay);
            _lastSeq = replay[^1].Seq;
            ContentSqliteLog.Replayed(log, path, replay.Count, _lastSeq);
        }
        _journal = ContentJournal.Start(path, _lastSeq);
    }

    private Record Decode(long seq, ReadOnlyMemory<byte> payload)
    {
        var frames = BlobBatch.Decode(payload);
        var checkpoint = frames.Count > 0 && frames[0].Length > 0 ? CheckpointFrame.Parse(frames[0].Span) : null;
        var blobs = frames.Count > 0 ? frames[1..] : [];
        return new Record(seq, [.. blobs.Select(b => _hash.Digest(b.Span))], blobs, checkpoint);
    }

    private void CheckCleanShutdown(string path)
    {
        if (Db.GetMeta(RunningKey) is not { } running)
        {
            return;
        }
        var cp = Db.GetCheckpoint("kvs-primary");
        var when = "never (no checkpoint: the KVS starts empty)";
        if (cp is not null && JsonNode.Parse(cp)?["timestamp"] is JsonValue ts && ts.TryGetValue(out double t))
        {
            when = DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        }
        ContentSqliteLog.NotShutDownCleanly(log, path, running, when);
    }

    private ValueTask Load(Message msg)
    {
        var digest = msg.Payload.ToArray();
        _hash.CheckDigest(digest);
        if (_unwritten.TryGetValue(digest, out var unwritten))
        {
            flux.RespondRaw(msg, unwritten.Blob);
        }
        else if (Db.Load(digest) is { } blob)
        {
            flux.RespondRaw(msg, blob);
        }
        else
        {
            // A blob stored in this turn of the loop is not journaled until its batch is.
            WritePending();
            flux.RespondRaw(msg, _unwritten.TryGetValue(digest, out unwritten)
                ? unwritten.Blob
                : throw new FluxException(Errno.ENOENT, $"{_hash.ToBlobref(digest)}: not in the backing store"));
        }
        return ValueTask.CompletedTask;
    }

    // content-backing.store: one raw blob, answered with its raw digest.
    private ValueTask Store(Message msg)
    {
        List<ReadOnlyMemory<byte>> blobs = [msg.Payload];
        return Enqueue(msg, JournalRecord(ReadOnlyMemory<byte>.Empty, blobs), blobs, null);
    }

    // content-backing.store-batch: BlobBatch framing, answered with the digests in order.
    private ValueTask StoreBatch(Message msg)
    {
        var blobs = BlobBatch.Decode(msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty);
        return Enqueue(msg, JournalRecord(ReadOnlyMemory<byte>.Empty, blobs), blobs, null);
    }

    // content-backing.commit: BlobBatch framing whose first frame is a checkpoint {key, value} and
    // the rest blobs; the blobs and the checkpoint are journaled together (the request's payload is
    // the journal record as it is), then the blobs' digests are answered, and SQLite gets them in one
    // transaction behind. This is how a KVS commit becomes durable before it is acknowledged.
    private ValueTask CommitBlobs(Message msg)
    {
        var frames = BlobBatch.Decode(msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty);
        if (frames.Count == 0)
        {
            throw new FluxException(Errno.EPROTO, "commit: missing the checkpoint frame");
        }
        var checkpoint = CheckpointFrame.Parse(frames[0].Span);
        frames.RemoveAt(0);
        return Enqueue(msg, _journal is null ? ReadOnlyMemory<byte>.Empty : msg.Payload, frames, checkpoint);
    }

    private ValueTask CheckpointGet(Message msg)
    {
        var key = msg.GetJsonOrNull()?["key"]?.GetValue<string>() ?? "kvs-primary";
        var value = (_checkpoints.TryGetValue(key, out var newest) ? newest : Db.GetCheckpoint(key)) ?? throw new FluxException(Errno.ENOENT, $"no checkpoint named '{key}'");
        flux.Respond(msg, new JsonObject { ["value"] = JsonNode.Parse(value) });
        return ValueTask.CompletedTask;
    }

    private ValueTask CheckpointPut(Message msg)
    {
        var o = msg.GetJson();
        var key = o["key"]?.GetValue<string>() ?? "kvs-primary";
        var value = o["value"] ?? throw new FluxException(Errno.EPROTO, "checkpoint-put: missing value");
        var record = _journal is null ? ReadOnlyMemory<byte>.Empty : JournalRecord(CheckpointRecordFrame(key, value), []);
        return Enqueue(msg, record, [], new CheckpointFrame(key, value.ToJsonString(), History: true), json: true);
    }

    private ValueTask GcOnUnload(Message msg)
    {
        _gcOnUnload = true;
        ContentSqliteLog.GcAtShutdown(log);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    // Counted once SQLite holds what was written before.
    private async ValueTask Stats(Message msg)
    {
        await CatchUpAsync();
        flux.Respond(msg, new JsonObject { ["object_count"] = Db.Count(), ["path"] = Db.Path });
    }

    private void CollectGarbage()
    {
        var roots = new List<byte[]>();
        if (Db.GetCheckpoint("kvs-primary") is { } cp && JsonNode.Parse(cp) is JsonObject o)
        {
            AddRoot(roots, o["rootref"]);
            if (o["namespaces"] is JsonObject nss)
            {
                foreach (var (_, ns) in nss)
                {
                    AddRoot(roots, ns?["rootref"]);
                }
            }
        }
        var size = new FileInfo(Db.Path).Length;
        var (before, removed) = Db.Collect(roots, _hash);
        ContentSqliteLog.GcDone(log, removed, before, Db.Path, size);
    }

    private void AddRoot(List<byte[]> roots, JsonNode? rootref)
    {
        if (rootref is JsonValue v && v.TryGetValue(out string? s))
        {
            roots.Add(_hash.ToDigest(s));
        }
    }
}
