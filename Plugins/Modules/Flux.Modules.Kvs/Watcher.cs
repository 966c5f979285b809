// One kvs-watch stream: the key it watches, what it last answered, and the roots waiting to be read.
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.Kvs;

/// <summary>
/// A held <c>kvs-watch.lookup</c> request. Roots announced by setroot events are queued and looked up
/// one at a time, in sequence order, with the watcher's own credential.
/// </summary>
internal sealed class Watcher(Message request, string ns, string key, KvsFlags flags)
{
    public Message Request { get; } = request;

    public string Namespace { get; } = ns;

    public string Key { get; } = key;

    public KvsFlags Flags { get; } = flags;

    public long LastSeq { get; set; } = -1;

    /// <summary>The last value answered (for WATCH_UNIQ and WATCH_APPEND), as the val's bytes.</summary>
    public byte[]? LastValue { get; set; }

    public bool Responded { get; set; }

    public bool Started { get; set; }

    public bool Busy { get; set; }

    public bool Done { get; set; }

    public Queue<(string RootRef, long Seq)> Pending { get; } = new();

    public bool Has(KvsFlags flag) => (Flags & flag) != 0;

    /// <summary>Whether a commit that changed <paramref name="changed"/> may have changed the watched key.</summary>
    public bool IsAffectedBy(string changed) =>
        Key == "." || changed == Key
        || (changed.Length > Key.Length && changed[Key.Length] == '.' && changed.StartsWith(Key, StringComparison.Ordinal))
        || (Key.Length > changed.Length && Key[changed.Length] == '.' && Key.StartsWith(changed, StringComparison.Ordinal));
}
