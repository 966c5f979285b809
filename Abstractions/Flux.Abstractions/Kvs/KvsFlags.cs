// KVS request and operation flags, with flux-core's values (flux/kvs.h).
namespace Flux.Abstractions.Kvs;

/// <summary>Flags of <c>kvs.lookup</c>, <c>kvs-watch.lookup</c> and transaction operations.</summary>
[Flags]
public enum KvsFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Look up a directory (its listing) rather than fail with EISDIR.</summary>
    ReadDir = 1,
    /// <summary>Return a symlink's target rather than follow it.</summary>
    ReadLink = 2,
    /// <summary>Stream each new value of the key (kvs-watch).</summary>
    Watch = 4,
    /// <summary>Wait for the key to be created (kvs-watch).</summary>
    WaitCreate = 8,
    /// <summary>Return the tree object rather than the value.</summary>
    TreeObj = 16,
    /// <summary>Transaction op: append to the value instead of replacing it.</summary>
    Append = 32,
    /// <summary>Watch: report a change of any key below a directory.</summary>
    WatchFull = 64,
    /// <summary>Watch: report only values that differ from the previous one.</summary>
    WatchUniq = 128,
    /// <summary>Watch: stream only the bytes appended since the last response (eventlogs).</summary>
    WatchAppend = 256,
    /// <summary>Stream a large value in pieces.</summary>
    Stream = 512,
}

/// <summary>Flags of <c>kvs.commit</c>.</summary>
[Flags]
public enum KvsCommitFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Do not merge this commit with others in flight.</summary>
    NoMerge = 1,
    /// <summary>Compact the transaction (drop ops superseded within it).</summary>
    TxnCompact = 2,
    /// <summary>Flush the content store and checkpoint the root after the commit.</summary>
    Sync = 4,
}
