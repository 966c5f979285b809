// The kvs-watch module: streaming lookups that answer again when a key changes (flux-core kvs-watch).
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

/// <summary>
/// Serves <c>kvs-watch.lookup</c> (streaming) with the flags WATCH (answer each new value),
/// WAITCREATE (wait for the key to exist), WATCH_UNIQ, WATCH_FULL and WATCH_APPEND (after the first
/// answer, only the bytes appended: how eventlogs are followed), plus <c>kvs-watch.cancel</c>. It
/// follows the <c>kvs.namespace-NS-setroot</c> events and reads each new root through
/// <c>kvs.lookup</c> with the watcher's own credential, so a guest watches only what it may read.
/// Watches end with ENODATA when cancelled, with ENOTSUP when their namespace is removed, and are
/// dropped when their client disconnects.
/// </summary>
[FluxPlugin("kvs-watch", PluginKind.Module)]
public sealed class KvsWatchModule(IFlux flux, ILogger<KvsWatchModule> log) : IFluxModule
{
    private const string EventPrefix = "kvs.namespace-";
    private readonly Dictionary<string, List<Watcher>> _watchers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Event, EventPrefix + "*", OnEvent);
        flux.RegisterHandler(MessageType.Request, "kvs-watch.lookup", Lookup, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs-watch.cancel", Cancel, FluxRole.User);
        flux.RegisterHandler(MessageType.Request, "kvs-watch.disconnect", Disconnect, FluxRole.All);
        flux.RegisterHandler(MessageType.Request, "kvs-watch.stats-get", Stats, FluxRole.All);
        await flux.SubscribeAsync(EventPrefix, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        foreach (var w in _watchers.Values.SelectMany(l => l))
        {
            w.Done = true;
            flux.RespondError(w.Request, Errno.ENOSYS, "kvs-watch module unloading");
        }
        _watchers.Clear();
        return ValueTask.CompletedTask;
    }

    private async ValueTask Lookup(Message msg)
    {
        var o = msg.GetJson();
        var key = KvsKey.Join(KvsKey.Split(o["key"]?.GetValue<string>()));
        var ns = o["namespace"]?.GetValue<string>() ?? KvsExtensions.Primary;
        var flags = (KvsFlags)(o["flags"]?.GetValue<int>() ?? 0);
        if ((flags & (KvsFlags.Watch | KvsFlags.WaitCreate)) == 0)
        {
            throw new FluxException(Errno.EINVAL, "kvs-watch.lookup needs WATCH or WAITCREATE");
        }
        if ((flags & KvsFlags.Watch) != 0 && !msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "kvs-watch.lookup with WATCH is a streaming RPC");
        }
        var w = new Watcher(msg, ns, key, flags);
        if (!_watchers.TryGetValue(ns, out var list))
        {
            _watchers[ns] = list = [];
        }
        // Listed before the first root is read, so that no later root is missed; the watcher's
        // access is checked by kvs itself, with the watcher's credential.
        list.Add(w);
        JsonObject root;
        try
        {
            root = await AsWatcher(msg, "kvs.getroot", new JsonObject { ["namespace"] = ns });
        }
        catch (FluxException)
        {
            w.Done = true;
            list.Remove(w);
            throw;
        }
        var first = (root["rootref"]!.GetValue<string>(), root["rootseq"]!.GetValue<long>());
        var later = w.Pending.Where(p => p.Seq > first.Item2).ToList();
        w.Pending.Clear();
        w.Pending.Enqueue(first);
        foreach (var p in later)
        {
            w.Pending.Enqueue(p);
        }
        w.Started = true;
        await ProcessAsync(w);
    }

    private ValueTask OnEvent(Message ev)
    {
        var topic = ev.Topic ?? string.Empty;
        if (topic.EndsWith("-setroot", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(ev.PayloadWithoutNul);
            var o = doc.RootElement;
            var ns = o.GetProperty("namespace").GetString()!;
            if (!_watchers.TryGetValue(ns, out var list))
            {
                return ValueTask.CompletedTask;
            }
            var rootref = o.GetProperty("rootref").GetString()!;
            var seq = o.GetProperty("rootseq").GetInt64();
            var keys = o.TryGetProperty("keys", out var k) ? k.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            foreach (var w in list.ToList())
            {
                if (w.Has(KvsFlags.WatchFull) || keys.Exists(w.IsAffectedBy))
                {
                    w.Pending.Enqueue((rootref, seq));
                    // A watch whose read fails other than by an RFC 6 error ends with that error.
                    flux.Background(ProcessAsync(w), "watch", w.Done ? null : w.Request, onFault: _ => EndWatch(w));
                }
            }
        }
        else if (topic.EndsWith("-removed", StringComparison.Ordinal))
        {
            var ns = ev.GetJson()["namespace"]?.GetValue<string>() ?? string.Empty;
            if (_watchers.Remove(ns, out var list))
            {
                foreach (var w in list)
                {
                    w.Done = true;
                    flux.RespondError(w.Request, Errno.EOPNOTSUPP, $"namespace '{ns}' was removed");
                }
            }
        }
        return ValueTask.CompletedTask;
    }

    private async Task ProcessAsync(Watcher w)
    {
        if (w.Busy || !w.Started)
        {
            return;
        }
        w.Busy = true;
        try
        {
            while (!w.Done && w.Pending.TryDequeue(out var root))
            {
                if (root.Seq <= w.LastSeq)
                {
                    continue;
                }
                await ReadOneAsync(w, root.RootRef, root.Seq);
            }
        }
        finally
        {
            w.Busy = false;
        }
    }

    private async Task ReadOneAsync(Watcher w, string rootref, long seq)
    {
        var lookupFlags = w.Flags & (KvsFlags.ReadDir | KvsFlags.ReadLink | KvsFlags.TreeObj);
        JsonObject resp;
        try
        {
            resp = await AsWatcher(w.Request, "kvs.lookup", new JsonObject
            {
                ["key"] = w.Key,
                ["namespace"] = w.Namespace,
                ["flags"] = (int)lookupFlags,
                ["rootdir"] = new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(rootref) },
            });
        }
        catch (FluxException ex)
        {
            w.LastSeq = seq;
            if (ex.Errnum == Errno.ENOENT && !w.Responded && w.Has(KvsFlags.WaitCreate))
            {
                return;
            }
            End(w, ex.Errnum, ex.Message);
            return;
        }
        w.LastSeq = seq;
        var val = resp["val"] as JsonObject ?? throw new FluxException(Errno.EPROTO, "kvs.lookup answered no val");
        var bytes = val["type"]?.GetValue<string>() == "val" ? Convert.FromBase64String(val["data"]!.GetValue<string>()) : System.Text.Encoding.UTF8.GetBytes(val.ToJsonString());
        if (w.Has(KvsFlags.WatchAppend) && w.Responded)
        {
            var last = w.LastValue ?? [];
            if (bytes.Length < last.Length || !bytes.AsSpan(0, last.Length).SequenceEqual(last))
            {
                End(w, Errno.EINVAL, $"{w.Key}: value was replaced, not appended to");
                return;
            }
            if (bytes.Length == last.Length)
            {
                return;
            }
            val = new JsonObject { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String(bytes.AsSpan(last.Length)) };
        }
        else if (w.Has(KvsFlags.WatchUniq) && w.Responded && w.LastValue is { } prev && prev.AsSpan().SequenceEqual(bytes))
        {
            return;
        }
        w.LastValue = bytes;
        w.Responded = true;
        flux.Respond(w.Request, new JsonObject
        {
            ["namespace"] = w.Namespace,
            ["key"] = w.Key,
            ["rootref"] = rootref,
            ["rootseq"] = seq,
            ["val"] = val.DeepClone(),
        });
        if (!w.Has(KvsFlags.Watch))
        {
            End(w, Errno.ENODATA, null);
        }
    }

    private void End(Watcher w, int errnum, string? text)
    {
        w.Done = true;
        if (_watchers.TryGetValue(w.Namespace, out var list))
        {
            list.Remove(w);
            if (list.Count == 0)
            {
                _watchers.Remove(w.Namespace);
            }
        }
        if (errnum != Errno.ENODATA || w.Request.IsStreaming)
        {
            flux.RespondError(w.Request, errnum, text);
        }
    }

    private async Task<JsonObject> AsWatcher(Message watcher, string topic, JsonObject payload)
    {
        var req = Message.Request(topic, payload);
        req.UserId = watcher.UserId;
        req.RoleMask = watcher.RoleMask;
        var resp = await flux.RequestAsync(req);
        return resp.GetJson();
    }

    private ValueTask Cancel(Message msg)
    {
        var tag = msg.GetJson()["matchtag"]?.GetValue<uint>() ?? throw new FluxException(Errno.EPROTO, "kvs-watch.cancel: missing matchtag");
        foreach (var w in _watchers.Values.SelectMany(l => l).ToList())
        {
            if (w.Request.Sender == msg.Sender && w.Request.Matchtag == tag)
            {
                End(w, Errno.ENODATA, null);
            }
        }
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private void EndWatch(Watcher w)
    {
        w.Done = true;
        if (_watchers.TryGetValue(w.Namespace, out var list) && list.Remove(w) && list.Count == 0)
        {
            _watchers.Remove(w.Namespace);
        }
    }

    private ValueTask Disconnect(Message msg)
    {
        var n = 0;
        foreach (var w in _watchers.Values.SelectMany(l => l).ToList())
        {
            if (w.Request.Sender == msg.Sender)
            {
                w.Done = true;
                _watchers[w.Namespace].Remove(w);
                n++;
            }
        }
        foreach (var empty in _watchers.Where(kv => kv.Value.Count == 0).Select(kv => kv.Key).ToList())
        {
            _watchers.Remove(empty);
        }
        if (n > 0)
        {
            KvsWatchLog.DroppedWatches(log, n);
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask Stats(Message msg)
    {
        flux.Respond(msg, new JsonObject
        {
            ["watchers"] = _watchers.Values.Sum(l => l.Count),
            ["namespaces"] = new JsonObject(_watchers.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.Count))),
        });
        return ValueTask.CompletedTask;
    }
}
