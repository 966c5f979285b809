// The kvs-primary checkpoint record of the KVS roots (flux-core's), written again periodically, restore and GC.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

public sealed partial class KvsModule
{
    private const string CheckpointKey = "kvs-primary";
    private Task? _checkpointRunning;
    private long _changesAtCheckpoint = -1;

    /// <summary>
    /// Writes every dirty blob of the content cache to the backing store (<c>content.flush</c>), then
    /// the record of the roots again (<see cref="RootWriter"/>) as a checkpoint of the kept history:
    /// every commit has written its roots already, so this one adds a history entry and renews
    /// <c>commits-since-gc</c>. Checkpoints run one at a time.
    /// </summary>
    private async Task CheckpointAsync(bool final)
    {
        while (_checkpointRunning is { } running)
        {
            await running;
        }
        if (_changes == _changesAtCheckpoint && !_gcRequested)
        {
            return;
        }
        var done = new TaskCompletionSource();
        _checkpointRunning = done.Task;
        try
        {
            var changes = _changes;
            try
            {
                await flux.RpcAsync("content.flush");
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
            {
                // No backing store: the record stays in the content module's memory.
            }
            await _writer.WriteAsync(null, null, [], history: true);
            _changesAtCheckpoint = changes;
            var primary = _namespaces[KvsExtensions.Primary];
            KvsLog.Checkpoint(log, final ? " at unload" : string.Empty, primary.Seq, primary.RootRef);
        }
        finally
        {
            _checkpointRunning = null;
            done.SetResult();
        }
    }

    private async ValueTask CheckpointRequest(Message msg)
    {
        _changesAtCheckpoint = -1;
        await CheckpointAsync(final: false);
        var primary = _namespaces[KvsExtensions.Primary];
        flux.Respond(msg, new JsonObject { ["rootref"] = primary.RootRef, ["rootseq"] = primary.Seq });
    }

    private async ValueTask GcOnShutdown(Message msg)
    {
        await flux.RpcAsync("content-backing.gc-on-unload");
        _gcRequested = true;
        _commitsSinceGc = 0;
        KvsLog.GcRequested(log);
        flux.Respond(msg);
    }

    /// <summary>Restores the roots from the last checkpoint, or starts with an empty primary namespace.</summary>
    private async Task RestoreAsync()
    {
        JsonObject? cp = null;
        try
        {
            cp = (await flux.RpcAsync("content.checkpoint-get", new JsonObject { ["key"] = CheckpointKey }))?["value"] as JsonObject;
        }
        catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.ENOSYS)
        {
            cp = null;
        }
        if (cp is null)
        {
            var blobs = new List<byte[]>();
            var rootref = _cache.AddDir(TreeObj.EmptyDir, blobs);
            await _writer.WriteAsync(KvsExtensions.Primary, new NamespaceRoot(KvsExtensions.Primary, _instanceOwner, 0, rootref, 0), blobs);
            _namespaces[KvsExtensions.Primary] = new KvsNamespace(KvsExtensions.Primary, _instanceOwner, 0, rootref, TreeObj.EmptyDir, 0);
            return;
        }
        var primaryRef = cp["rootref"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "checkpoint has no rootref");
        var seq = cp["sequence"]?.GetValue<long>() ?? 0;
        TreeObj root;
        try
        {
            root = await _cache.LoadDirAsync(primaryRef);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"cannot restore the KVS from its checkpoint (root {primaryRef}): {ex.Message}", ex);
        }
        _namespaces[KvsExtensions.Primary] = new KvsNamespace(KvsExtensions.Primary, _instanceOwner, 0, primaryRef, root, seq);
        if (cp["namespaces"] is JsonObject others)
        {
            foreach (var (name, n) in others)
            {
                if (n?["rootref"]?.GetValue<string>() is not { } r)
                {
                    continue;
                }
                try
                {
                    var dir = await _cache.LoadDirAsync(r);
                    _namespaces[name] = new KvsNamespace(name, n["owner"]?.GetValue<uint>() ?? _instanceOwner, n["flags"]?.GetValue<int>() ?? 0, r, dir, n["rootseq"]?.GetValue<long>() ?? 0);
                }
                catch (FluxException ex)
                {
                    KvsLog.NamespaceNotRestored(log, name, ex.Message);
                }
            }
        }
        foreach (var ns in _namespaces.Values)
        {
            _writer.Restored(new NamespaceRoot(ns.Name, ns.Owner, ns.Flags, ns.RootRef, ns.Seq));
        }
        _commitsSinceGc = cp["commits-since-gc"]?.GetValue<long>() ?? 0;
        var when = cp["timestamp"]?.GetValue<double>() is double t
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
            : "an unknown time";
        KvsLog.Restored(log, when, seq, _namespaces.Count - 1);
        _changesAtCheckpoint = _changes;
    }
}
