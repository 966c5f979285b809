// Durable KVS changes: a commit's new blobs and the roots it leads to reach the content store together.
using System.Buffers;
using System.Text.Json;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.Kvs;

/// <summary>
/// Makes every change of the KVS durable before it is acknowledged: a commit's new root, a namespace
/// created or removed. Changes queue here; one <c>content.commit</c> is in flight at a time, carrying
/// the new blobs of every change queued meanwhile and one <c>kvs-primary</c> checkpoint record of the
/// roots as they are once those changes are made (flux-core's record, plus the other namespaces).
/// content-sqlite writes the blobs and the record in one SQLite transaction before answering, so a
/// kill -9 of the broker never loses an acknowledged commit, and a record never names a root whose
/// blobs are not stored. Concurrent commits (several namespaces, or a commit arriving while another
/// is written) share one transaction, as queued commits of one namespace share one new root.
/// </summary>
internal sealed class RootWriter(IFlux flux, ObjectCache cache, Func<long> commitsSinceGc)
{
    private const string Key = "kvs-primary";
    private readonly Dictionary<string, NamespaceRoot> _durable = new(StringComparer.Ordinal);
    private List<Change> _queue = [];
    private List<Change> _writing = [];
    private bool _running;

    /// <summary>The number of records written since load.</summary>
    public long Writes { get; private set; }

    /// <summary>Takes the roots restored at load as the durable state.</summary>
    public void Restored(NamespaceRoot root) => _durable[root.Name] = root;

    /// <summary>
    /// Writes <paramref name="blobs"/> and a record in which namespace <paramref name="name"/> has
    /// <paramref name="root"/> (null: the namespace is removed; a null name changes no root, and only
    /// writes the record again); completes once both are stored. A record with <paramref name="history"/>
    /// is kept as a checkpoint of its own; the others renew the newest. A change made on top of another
    /// one not yet written (<paramref name="after"/>, an earlier call's task) is never stored when that
    /// one fails: it fails too.
    /// </summary>
    public Task WriteAsync(string? name, NamespaceRoot? root, List<byte[]> blobs, bool history = false, Task? after = null)
    {
        var change = new Change(name, root, blobs, history, after);
        _queue.Add(change);
        if (!_running)
        {
            _running = true;
            flux.Background(WriteLoopAsync(), "durable commit", onFault: FailAll);
        }
        return change.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (_queue.Count > 0)
            {
                _writing = _queue;
                _queue = [];
                DropOrphans();
                if (_writing.Count == 0)
                {
                    continue;
                }
                var roots = new Dictionary<string, NamespaceRoot>(_durable, StringComparer.Ordinal);
                var blobs = _writing.Count == 1 ? _writing[0].Blobs : [];
                var history = false;
                foreach (var c in _writing)
                {
                    Apply(roots, c);
                    history |= c.History;
                    if (_writing.Count > 1)
                    {
                        blobs.AddRange(c.Blobs);
                    }
                }
                try
                {
                    await cache.CommitAsync(blobs, Record(roots, history));
                }
                catch (FluxException ex)
                {
                    Fail(_writing, ex);
                    continue;
                }
                foreach (var c in _writing)
                {
                    Apply(_durable, c);
                }
                Writes++;
                var done = _writing;
                _writing = [];
                // A waiting commit may go on at once (continuations run inline) and queue its next
                // change: the loop picks it up.
                foreach (var c in done)
                {
                    c.Done.TrySetResult();
                }
            }
        }
        finally
        {
            _running = false;
        }
    }

    // A change made on top of one that failed (in an earlier transaction, or dropped here before it)
    // is never stored: its root would name blobs that are not. In queue order, so chains fail whole.
    private void DropOrphans()
    {
        if (!_writing.Exists(c => c.After is not null))
        {
            return;
        }
        var kept = new List<Change>(_writing.Count);
        foreach (var c in _writing)
        {
            if (c.After is { IsFaulted: true })
            {
                c.Done.TrySetException(new FluxException(Errno.EAGAIN, $"an earlier commit of namespace '{c.Name}' failed"));
            }
            else
            {
                kept.Add(c);
            }
        }
        _writing = kept;
    }

    private static void Apply(Dictionary<string, NamespaceRoot> roots, Change c)
    {
        if (c.Name is null)
        {
            return;
        }
        if (c.Root is { } r)
        {
            roots[c.Name] = r;
        }
        else
        {
            roots.Remove(c.Name);
        }
    }

    // A write that failed other than by an RFC 6 error: every change waiting gets the error.
    private void FailAll(Exception ex)
    {
        var error = ex as FluxException ?? new FluxException(Errno.EIO, $"durable commit failed: {ex.GetType().Name}: {ex.Message}", ex);
        Fail(_writing, error);
        Fail(_queue, error);
        _writing = [];
        _queue = [];
    }

    private static void Fail(List<Change> changes, FluxException ex)
    {
        foreach (var c in changes)
        {
            c.Done.TrySetException(ex);
        }
    }

    // {"key":"kvs-primary","value":{"version":1,"rootref":R,"sequence":N,"timestamp":T,
    //  "namespaces":{NAME:{owner,flags,rootref,rootseq}},"commits-since-gc":C},"history":H}
    private byte[] Record(Dictionary<string, NamespaceRoot> roots, bool history)
    {
        var primary = roots.TryGetValue(KvsExtensions.Primary, out var p) ? p : throw new FluxException(Errno.EPROTO, "no primary namespace to record");
        var buf = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("key"u8, Key);
            w.WriteStartObject("value"u8);
            w.WriteNumber("version"u8, 1);
            w.WriteString("rootref"u8, primary.RootRef);
            w.WriteNumber("sequence"u8, primary.Seq);
            w.WriteNumber("timestamp"u8, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
            w.WriteStartObject("namespaces"u8);
            foreach (var (name, r) in roots)
            {
                if (name == KvsExtensions.Primary)
                {
                    continue;
                }
                w.WriteStartObject(name);
                w.WriteNumber("owner"u8, r.Owner);
                w.WriteNumber("flags"u8, r.Flags);
                w.WriteString("rootref"u8, r.RootRef);
                w.WriteNumber("rootseq"u8, r.Seq);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("commits-since-gc"u8, commitsSinceGc());
            w.WriteEndObject();
            w.WriteBoolean("history"u8, history);
            w.WriteEndObject();
        }
        return buf.WrittenSpan.ToArray();
    }

    private sealed class Change(string? name, NamespaceRoot? root, List<byte[]> blobs, bool history, Task? after)
    {
        public Task? After { get; } = after;

        public bool History { get; } = history;

        public string? Name { get; } = name;

        public NamespaceRoot? Root { get; } = root;

        public List<byte[]> Blobs { get; } = blobs;

        public TaskCompletionSource Done { get; } = new();
    }
}

/// <summary>A namespace's root as a checkpoint record holds it.</summary>
internal sealed record NamespaceRoot(string Name, uint Owner, int Flags, string RootRef, long Seq);
