// Flag values of KVS lookups, commits and transaction operations (flux-core kvs.h, RFC 11 ops).
namespace Flux.Modules.Kvs;

/// <summary>The flag bits of flux-core's KVS API, shared with kvs-watch and the clients.</summary>
internal static class KvsFlags
{
    /// <summary>Lookup: the key names a directory; answer its dir object.</summary>
    public const int ReadDir = 1;
    /// <summary>Lookup: answer a final symlink itself instead of following it.</summary>
    public const int ReadLink = 2;
    /// <summary>Lookup (kvs-watch): stream a response for each change.</summary>
    public const int Watch = 4;
    /// <summary>Lookup (kvs-watch): wait until the key exists.</summary>
    public const int WaitCreate = 8;
    /// <summary>Lookup: answer the tree object as stored, unresolved.</summary>
    public const int TreeObj = 16;
    /// <summary>Lookup (kvs-watch): answer on every commit, even one that changed nothing.</summary>
    public const int WatchFull = 64;
    /// <summary>Lookup (kvs-watch): answer only when the value differs from the last answer.</summary>
    public const int WatchUniq = 128;
    /// <summary>Lookup (kvs-watch): after the first answer, stream only the bytes appended.</summary>
    public const int WatchAppend = 256;
    /// <summary>Lookup (kvs-watch): a stream of one answer (for WAITCREATE without WATCH).</summary>
    public const int Stream = 512;

    /// <summary>Operation: append the value to the key's value instead of replacing it.</summary>
    public const int Append = 32;

    /// <summary>Commit: do not merge this transaction with others.</summary>
    public const int NoMerge = 1;
    /// <summary>Commit: flush the content store and checkpoint the root before answering.</summary>
    public const int Sync = 4;

    /// <summary>The namespace every instance has.</summary>
    public const string Primary = "primary";
}
