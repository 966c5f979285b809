// A namespace's commit loop: the next batch is applied while the previous one is being stored.
using Flux.Abstractions;

namespace Flux.Modules.Kvs;

public sealed partial class KvsModule
{
    /// <summary>
    /// Batches of a namespace applied and handed to the writer but not yet durable. Two: while one
    /// is written (an SQLite transaction in content-sqlite), the commits that arrived meanwhile are
    /// applied on its root and queued behind it, instead of waiting for it; commits arriving after
    /// that merge into the batch that follows, as before. Measured with the kvs benchmark (4 and 8
    /// clients on one namespace): see docs/kvs.md.
    /// </summary>
    private const int PipelineDepth = 2;

    private async Task CommitLoopAsync(KvsNamespace ns)
    {
        ns.Committing = true;
        try
        {
            while (ns.Queue.Count > 0 || ns.Writing.Count > 0)
            {
                if (ns.Queue.Count > 0 && ns.Writing.Count < PipelineDepth)
                {
                    await ApplyNextAsync(ns);
                    continue;
                }
                var oldest = ns.Writing[0];
                if (ns.Queue.Count == 0 && ns.Writing.Count < PipelineDepth && !oldest.Write.IsCompleted)
                {
                    // Whichever comes first: the write's end, or a commit to apply meanwhile.
                    await Task.WhenAny(oldest.Write, ns.Arrival());
                    continue;
                }
                await FinishAsync(ns, oldest);
            }
        }
        finally
        {
            ns.Committing = false;
        }
        ns.Applying = null;
    }

    private async Task ApplyNextAsync(KvsNamespace ns)
    {
        var batch = TakeBatch(ns);
        ns.Applying = batch;
        if (ns.Removed)
        {
            foreach (var t in batch)
            {
                Fail(t, new FluxException(Errno.EOPNOTSUPP, $"namespace '{ns.Name}' was removed"));
            }
        }
        else
        {
            try
            {
                ns.Writing.Add(await ApplyAsync(ns, batch));
            }
            catch (FluxException) when (batch.Count > 1)
            {
                // One transaction of the merged batch failed: apply each alone so the others succeed.
                foreach (var t in batch)
                {
                    try
                    {
                        ns.Writing.Add(await ApplyAsync(ns, [t]));
                    }
                    catch (FluxException ex)
                    {
                        Fail(t, ex);
                    }
                }
            }
            catch (FluxException ex)
            {
                Fail(batch[0], ex);
            }
        }
        ns.Applying = null;
    }
}
