// The content-sqlite module: the RFC 10 backing store in statedir/content.sqlite, with checkpoints.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Content;

/// <summary>
/// Serves <c>content-backing.load</c>, <c>.store</c>, <c>.checkpoint-get</c> and
/// <c>.checkpoint-put</c> from an SQLite file in the <c>statedir</c> broker attribute (or a private
/// temporary directory, removed at exit, when it is not set), and registers itself with the content
/// module. Stores that arrive together are written in one transaction and answered after it commits.
/// A marker row says an instance is running: finding it at load means the previous one did not shut
/// down cleanly. At unload the content cache writes back everything dirty first; when asked with
/// <c>content-backing.gc-on-unload</c>, the blobs unreachable from the last checkpoint are removed.
/// </summary>
[FluxPlugin("content-sqlite", PluginKind.Module)]
public sealed class ContentSqliteModule(IFlux flux, ILogger<ContentSqliteModule> log) : IFluxModule
{
    private const string Service = "content-backing";
    private const string RunningKey = "running";
    private readonly List<(Message Request, byte[] Response)> _batch = [];
    private BlobHash _hash = BlobHash.Parse(null);
    private SqliteStore? _store;
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
            _tempDir = Directory.CreateTempSubdirectory("flux-statedir-").FullName;
            statedir = _tempDir;
            ContentSqliteLog.TemporaryStatedir(log, _tempDir);
        }
        else
        {
            Directory.CreateDirectory(statedir);
        }
        var path = Path.Combine(statedir, "content.sqlite");
        _store = SqliteStore.Open(path);
        CheckCleanShutdown(path);
        _store.SetMeta(RunningKey, string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:O}"));
        flux.RegisterHandler(MessageType.Request, Service + ".load", Load);
        flux.RegisterHandler(MessageType.Request, Service + ".store", Store);
        flux.RegisterHandler(MessageType.Request, Service + ".store-batch", StoreBatch);
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
        CommitBatch();
        if (_gcOnUnload)
        {
            CollectGarbage();
        }
        _store.SetMeta(RunningKey, null);
        _store.Dispose();
        _store = null;
        if (_tempDir is not null)
        {
            try
            {
                Directory.Delete(_tempDir, recursive: true);
            }
            catch (IOException ex)
            {
                ContentSqliteLog.RemoveFailed(log, _tempDir, ex.Message);
            }
        }
    }

    private SqliteStore Db => _store ?? throw new FluxException(Errno.ENOSYS, "content-sqlite is unloading");

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
        var blob = Db.Load(digest) ?? throw new FluxException(Errno.ENOENT, $"{_hash.ToBlobref(digest)}: not in the backing store");
        flux.RespondRaw(msg, blob);
        return ValueTask.CompletedTask;
    }

    // content-backing.store: one raw blob, answered with its raw digest.
    private ValueTask Store(Message msg) => StoreAll(msg, [msg.Payload]);

    // content-backing.store-batch: BlobBatch framing, answered with the digests in order.
    private ValueTask StoreBatch(Message msg) => StoreAll(msg, BlobBatch.Decode(msg.HasPayload ? msg.Payload : ReadOnlyMemory<byte>.Empty));

    // The blobs join the open transaction, committed (and answered) after every store already
    // queued on this loop: they share it.
    private async ValueTask StoreAll(Message msg, List<ReadOnlyMemory<byte>> blobs)
    {
        var digests = new byte[blobs.Count * _hash.DigestSize];
        var first = !Db.InBatch;
        Db.Begin();
        var each = new byte[blobs.Count][];
        for (var i = 0; i < blobs.Count; i++)
        {
            each[i] = _hash.Digest(blobs[i].Span);
            each[i].CopyTo(digests, i * _hash.DigestSize);
        }
        Db.StoreMany(each, blobs);
        _batch.Add((msg, digests));
        if (first)
        {
            await Task.Yield();
            CommitBatch();
        }
    }

    private void CommitBatch()
    {
        if (_store is null || !_store.InBatch)
        {
            return;
        }
        try
        {
            _store.Commit();
            foreach (var (req, response) in _batch)
            {
                flux.RespondRaw(req, response);
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            ContentSqliteLog.CommitFailed(log, ex.Message);
            foreach (var (req, _) in _batch)
            {
                flux.RespondError(req, Errno.EIO, "content-sqlite: " + ex.Message);
            }
        }
        _batch.Clear();
    }

    private ValueTask CheckpointGet(Message msg)
    {
        var key = msg.GetJsonOrNull()?["key"]?.GetValue<string>() ?? "kvs-primary";
        var value = Db.GetCheckpoint(key) ?? throw new FluxException(Errno.ENOENT, $"no checkpoint named '{key}'");
        flux.Respond(msg, new JsonObject { ["value"] = JsonNode.Parse(value) });
        return ValueTask.CompletedTask;
    }

    private ValueTask CheckpointPut(Message msg)
    {
        var o = msg.GetJson();
        var key = o["key"]?.GetValue<string>() ?? "kvs-primary";
        var value = o["value"] ?? throw new FluxException(Errno.EPROTO, "checkpoint-put: missing value");
        CommitBatch();
        Db.PutCheckpoint(key, value.ToJsonString());
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask GcOnUnload(Message msg)
    {
        _gcOnUnload = true;
        ContentSqliteLog.GcAtShutdown(log);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask Stats(Message msg)
    {
        flux.Respond(msg, new JsonObject { ["object_count"] = Db.Count(), ["path"] = Db.Path });
        return ValueTask.CompletedTask;
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
