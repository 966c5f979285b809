// A batch of commits applied to a namespace whose new root is being written.
namespace Flux.Modules.Kvs;

/// <summary>
/// Transactions applied together: the root they lead to (sequence <paramref name="Seq"/>), the keys
/// they changed (for the setroot event) and the write that makes the root durable.
/// </summary>
internal sealed record AppliedBatch(List<Transaction> Batch, string RootRef, TreeObj RootDir, long Seq, HashSet<string> Keys, Task Write);
