// KVS namespaces (create with an owner, remove, list), getroot and wait-version, as flux-core serves them.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

public sealed partial class KvsModule
{
    private readonly HashSet<string> _creating = new(StringComparer.Ordinal);
    private long _changes;

    private ValueTask GetRoot(Message msg)
    {
        var ns = Namespace(msg.GetJsonOrNull()?["namespace"]?.GetValue<string>(), msg);
        flux.Respond(msg, new JsonObject
        {
            ["namespace"] = ns.Name,
            ["rootref"] = ns.RootRef,
            ["rootseq"] = ns.Seq,
            ["owner"] = ns.Owner,
            ["flags"] = ns.Flags,
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask WaitVersion(Message msg)
    {
        var o = msg.GetJson();
        var ns = Namespace(o["namespace"]?.GetValue<string>(), msg);
        var want = o["rootseq"]?.GetValue<long>() ?? throw new FluxException(Errno.EPROTO, "kvs.wait-version: missing rootseq");
        if (ns.Seq >= want)
        {
            flux.Respond(msg, new JsonObject { ["rootref"] = ns.RootRef, ["rootseq"] = ns.Seq });
        }
        else
        {
            ns.VersionWaiters.Add((want, msg));
        }
        return ValueTask.CompletedTask;
    }

    private void WakeVersionWaiters(KvsNamespace ns)
    {
        _changes++;
        if (ns.VersionWaiters.Count == 0)
        {
            return;
        }
        foreach (var (_, req) in ns.VersionWaiters.Where(w => w.Seq <= ns.Seq))
        {
            flux.Respond(req, new JsonObject { ["rootref"] = ns.RootRef, ["rootseq"] = ns.Seq });
        }
        ns.VersionWaiters.RemoveAll(w => w.Seq <= ns.Seq);
    }

    private async ValueTask NamespaceCreate(Message msg)
    {
        var o = msg.GetJson();
        var name = o["namespace"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || name.Any(char.IsWhiteSpace) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new FluxException(Errno.EINVAL, $"invalid namespace name '{name}'");
        }
        var owner = o["owner"] is JsonValue ov && ov.TryGetValue(out long ol) && ol >= 0 ? (uint)ol : _instanceOwner;
        var flags = o["flags"]?.GetValue<int>() ?? 0;
        if (_namespaces.ContainsKey(name) || !_creating.Add(name))
        {
            throw new FluxException(Errno.EEXIST, $"namespace '{name}' already exists");
        }
        var blobs = new List<byte[]>();
        var rootref = _cache.AddDir(TreeObj.EmptyDir, blobs);
        try
        {
            await _writer.WriteAsync(name, new NamespaceRoot(name, owner, flags, rootref, 0), blobs);
        }
        finally
        {
            _creating.Remove(name);
        }
        _namespaces[name] = new KvsNamespace(name, owner, flags, rootref, TreeObj.EmptyDir, 0);
        _changes++;
        flux.Send(Message.Event($"kvs.namespace-{name}-created", new JsonObject { ["namespace"] = name, ["owner"] = owner, ["rootref"] = rootref, ["rootseq"] = 0 }));
        KvsLog.NamespaceCreated(log, name, owner);
        flux.Respond(msg);
    }

    private async ValueTask NamespaceRemove(Message msg)
    {
        var name = msg.GetJson()["namespace"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "missing namespace");
        if (name == KvsExtensions.Primary)
        {
            throw new FluxException(Errno.EINVAL, "the primary namespace cannot be removed");
        }
        if (!_namespaces.Remove(name, out var ns))
        {
            throw new FluxException(Errno.EOPNOTSUPP, $"namespace '{name}' does not exist");
        }
        ns.Removed = true;
        _changes++;
        foreach (var (_, req) in ns.VersionWaiters)
        {
            flux.RespondError(req, Errno.EOPNOTSUPP, $"namespace '{name}' was removed");
        }
        ns.VersionWaiters.Clear();
        flux.Send(Message.Event($"kvs.namespace-{name}-removed", new JsonObject { ["namespace"] = name }));
        // Gone at once for every user; answered once the record without it is stored.
        await _writer.WriteAsync(name, null, []);
        flux.Respond(msg);
    }

    private ValueTask NamespaceList(Message msg)
    {
        var list = new JsonArray();
        foreach (var ns in _namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (ns.Allows(msg) && (ns.Name != KvsExtensions.Primary || (msg.RoleMask & FluxRole.Owner) != 0))
            {
                list.Add(new JsonObject { ["namespace"] = ns.Name, ["owner"] = ns.Owner, ["flags"] = ns.Flags, ["rootseq"] = ns.Seq });
            }
        }
        flux.Respond(msg, new JsonObject { ["namespaces"] = list });
        return ValueTask.CompletedTask;
    }
}
