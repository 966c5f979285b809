// The KVS resource.eventlog (RFC 18) where drain state is recorded so it survives a restart.
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Resource;

/// <summary>
/// Reads and appends <c>resource.eventlog</c> in the primary KVS namespace. When the kvs service is
/// not loaded (ENOSYS), the log is kept nowhere: state lives in memory only, which is said once in
/// the broker log, and every later post is a no-op for the life of the module.
/// </summary>
internal sealed class ResourceEventLog(IFlux flux, ILogger log)
{
    /// <summary>The KVS key of the eventlog.</summary>
    public const string Key = "resource.eventlog";

    /// <summary>Whether the KVS was found missing, so nothing is persisted.</summary>
    public bool MemoryOnly { get; private set; }

    /// <summary>The events recorded so far (none when the KVS is missing or the key does not exist).</summary>
    public async Task<IReadOnlyList<EventlogEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            text = await flux.KvsGetStringAsync(Key, cancellationToken: cancellationToken);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            GoMemoryOnly();
            return [];
        }
        if (text is null)
        {
            return [];
        }
        try
        {
            return Eventlog.Parse(text);
        }
        catch (FluxException ex)
        {
            throw new FluxException(Errno.EPROTO, $"{Key}: {ex.Message}", ex);
        }
    }

    /// <summary>Appends an event (and any other ops of <paramref name="txn"/>) in one commit.</summary>
    public async Task PostAsync(EventlogEntry entry, KvsTxn? txn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (MemoryOnly)
        {
            return;
        }
        txn ??= new KvsTxn();
        txn.Append(Key, entry.ToLine());
        try
        {
            await flux.KvsCommitAsync(txn, cancellationToken: cancellationToken);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            GoMemoryOnly();
        }
    }

    private void GoMemoryOnly()
    {
        if (!MemoryOnly)
        {
            MemoryOnly = true;
            ResourceLog.NoKvs(log);
        }
    }
}
