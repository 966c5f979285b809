// One KVS namespace: its owner, current root (RFC 11 dirref) and sequence, and its commit queue.
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Modules.Kvs;

/// <summary>
/// A namespace's state on the leader. The root changes only when a commit finishes (or at restore);
/// commits are applied one batch at a time, in arrival order, from <see cref="Queue"/>, each on the
/// root of the one before (<see cref="Head"/>) even while that one is still being written.
/// </summary>
internal sealed class KvsNamespace(string name, uint owner, int flags, string rootref, TreeObj rootDir, long seq)
{
    public string Name { get; } = name;

    public uint Owner { get; } = owner;

    public int Flags { get; } = flags;

    public string RootRef { get; private set; } = rootref;

    public TreeObj RootDir { get; private set; } = rootDir;

    public long Seq { get; private set; } = seq;

    public bool Removed { get; set; }

    public bool Committing { get; set; }

    public Queue<Transaction> Queue { get; } = new();

    /// <summary>The batch the commit loop is applying (empty when it is idle).</summary>
    public List<Transaction>? Applying { get; set; }

    /// <summary>Batches applied whose roots are being written, oldest first.</summary>
    public List<AppliedBatch> Writing { get; } = [];

    /// <summary>The root the next batch applies to: the newest one written or being written.</summary>
    public (string RootRef, TreeObj RootDir, long Seq) Head =>
        Writing.Count > 0 ? (Writing[^1].RootRef, Writing[^1].RootDir, Writing[^1].Seq) : (RootRef, RootDir, Seq);

    public List<(long Seq, Message Request)> VersionWaiters { get; } = [];

    private TaskCompletionSource? _arrival;

    /// <summary>Completes when a transaction is queued (<see cref="Arrived"/>) while the commit loop waits on a write.</summary>
    public Task Arrival() => (_arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes the commit loop waiting in <see cref="Arrival"/>, if any.</summary>
    public void Arrived()
    {
        var a = _arrival;
        _arrival = null;
        a?.TrySetResult();
    }

    public string SetrootTopic => $"kvs.namespace-{Name}-setroot";

    /// <summary>Installs a new root (after its blobs are stored) and returns its sequence number.</summary>
    public long SetRoot(string rootref, TreeObj rootDir)
    {
        RootRef = rootref;
        RootDir = rootDir;
        return ++Seq;
    }

    /// <summary>
    /// Whether a request's credential may use this namespace (RFC 12): the instance owner's role, or a guest
    /// whose userid owns the namespace. The primary namespace is the instance's: no guest uses it, not even
    /// one with the owner's userid (a job shell of a single-user instance speaks as its job's guest, flux-shell(1)).
    /// </summary>
    public bool Allows(Message request) =>
        (request.RoleMask & FluxRole.Owner) != 0 || (request.UserId == Owner && Name != KvsExtensions.Primary);
}

/// <summary>One kvs.commit: its operations, flags and the request to answer (null for internal ones).</summary>
internal sealed class Transaction(IReadOnlyList<TxnOp> ops, KvsCommitFlags flags, Message? request)
{
    public IReadOnlyList<TxnOp> Ops { get; } = ops;

    public KvsCommitFlags Flags { get; } = flags;

    public Message? Request { get; } = request;

    public TaskCompletionSource<(string RootRef, long Seq)> Done { get; } = new();
}

/// <summary>One operation of a transaction: a key, the APPEND flag, and a dirent (null to unlink).</summary>
internal sealed record TxnOp(string Key, string[] Path, KvsFlags Flags, TreeObj? Dirent);
