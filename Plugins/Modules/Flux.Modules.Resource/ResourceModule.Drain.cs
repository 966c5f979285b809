// resource.drain and resource.undrain with flux-core's modes and errors; each change is an RFC 18 event in resource.eventlog.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Resource;

public sealed partial class ResourceModule
{
    // {targets, reason?, mode?: update|overwrite|force-overwrite}: answered once the event is committed.
    private async ValueTask OnDrain(Message msg)
    {
        var o = msg.GetJson();
        var targets = Str(o, "targets", required: true)!;
        var reason = Str(o, "reason", required: false);
        var mode = Str(o, "mode", required: false);
        var (overwrite, update) = mode switch
        {
            null => (0, false),
            "update" => (0, true),
            "overwrite" => (1, false),
            "force-overwrite" => (2, false),
            _ => throw new FluxException(Errno.EINVAL, "Invalid mode specified"),
        };
        var ranks = targets == "all" ? _inventory.R.Ranks.Subtract(_inventory.Exclude) : Decode(targets);
        if (ranks.IsEmpty)
        {
            throw new FluxException(Errno.EINVAL, "idset is empty");
        }
        CheckDrainable(ranks, refuseDrained: overwrite == 0 && !update);

        var timestamp = Now();
        var added = _drain.Drain(ranks, timestamp, reason, overwrite);
        Notify("down", added);
        var context = TargetContext(ranks);
        if (reason is not null)
        {
            // No reason is not written, so that replay restores it as none.
            context["reason"] = reason;
        }
        context["overwrite"] = overwrite;
        await _reslog.PostAsync(new EventlogEntry(timestamp, "drain", context), null, CancellationToken.None);
        flux.Respond(msg);
    }

    // {targets, mode?: force, reason?}
    private async ValueTask OnUndrain(Message msg)
    {
        var o = msg.GetJson();
        var targets = Str(o, "targets", required: true)!;
        var reason = Str(o, "reason", required: false);
        var mode = Str(o, "mode", required: false);
        if (mode is not null and not "force")
        {
            throw new FluxException(Errno.EINVAL, $"invalid undrain mode '{mode}' specified");
        }
        var ranks = targets == "all" ? _drain.Ranks : Decode(targets);
        var notDrained = new IdSet(ranks.Where(r => !_drain.IsDrained(r)));
        if (mode is null && !notDrained.IsEmpty)
        {
            var nodelist = _inventory.NodelistOf(notDrained);
            throw new FluxException(Errno.EINVAL,
                $"{(nodelist.Length > 0 ? nodelist : "unknown")} (rank{(notDrained.Count > 1 ? "s" : "")} {notDrained.Encode(IdSetFormat.Range)}) not drained");
        }
        ranks = ranks.Subtract(notDrained);
        if (ranks.IsEmpty)
        {
            flux.Respond(msg);
            return;
        }
        var removed = _drain.Undrain(ranks);
        Notify("up", removed);
        var context = TargetContext(ranks);
        if (reason is not null)
        {
            context["reason"] = reason;
        }
        await _reslog.PostAsync(new EventlogEntry(Now(), "undrain", context), null, CancellationToken.None);
        flux.Respond(msg);
    }

    // Targets as ranks of R: an idset or hostlist, not empty, every rank in the resource set.
    private IdSet Decode(string targets)
    {
        var ranks = _inventory.Targets(targets);
        if (ranks.IsEmpty)
        {
            throw new FluxException(Errno.EINVAL, "idset is empty");
        }
        var unknown = ranks.Subtract(_inventory.R.Ranks);
        if (!unknown.IsEmpty)
        {
            throw new FluxException(Errno.EINVAL, ResourceInventory.NotInResourceSet(unknown));
        }
        return ranks;
    }

    // flux-core: "rank 3 already drained", "ranks 1-2 already drained or excluded"; EEXIST when any was drained.
    private void CheckDrainable(IdSet ranks, bool refuseDrained)
    {
        var excluded = ranks.Intersect(_inventory.Exclude);
        var drained = refuseDrained ? new IdSet(ranks.Where(_drain.HasReason)) : IdSet.Empty;
        var bad = excluded.Union(drained);
        if (bad.IsEmpty)
        {
            return;
        }
        var what = (drained.IsEmpty ? "" : "already drained")
            + (!drained.IsEmpty && !excluded.IsEmpty ? " or " : "")
            + (excluded.IsEmpty ? "" : "excluded");
        throw new FluxException(drained.IsEmpty ? Errno.EINVAL : Errno.EEXIST,
            $"rank{(bad.Count > 1 ? "s" : "")} {bad.Encode(IdSetFormat.Range)} {what}");
    }

    private static string? Str(JsonObject o, string key, bool required)
    {
        var node = o[key];
        if (node is null)
        {
            return required ? throw new FluxException(Errno.EPROTO, $"missing string '{key}' in request") : null;
        }
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new FluxException(Errno.EPROTO, $"'{key}' must be a string");
    }
}
