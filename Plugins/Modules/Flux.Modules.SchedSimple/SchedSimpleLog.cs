// The sched-simple module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.SchedSimple;

/// <summary>Log messages of sched-simple (event ids 700-749).</summary>
internal static partial class SchedSimpleLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "scheduling pass failed: {Error}")]
    public static partial void PassFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "job {Id} oversubscribes {R}: {Slots} slots of {Cores} on {Have} cores")]
    public static partial void Oversubscribes(ILogger logger, string id, string r, int slots, string cores, int have);

    [LoggerMessage(EventId = 702, Level = LogLevel.Debug, Message = "alloc {Id}: {R}")]
    public static partial void Alloc(ILogger logger, string id, string r);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "cannot store R of {Count} jobs in the KVS: {Error}")]
    public static partial void StoreRFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 704, Level = LogLevel.Debug, Message = "free {Id}: {R}{Final}")]
    public static partial void Free(ILogger logger, string id, string r, string final);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "cannot answer {Topic}: {Error}")]
    public static partial void AnswerFailed(ILogger logger, string? topic, string error);

    [LoggerMessage(EventId = 706, Level = LogLevel.Error, Message = "{Topic}: {Error}")]
    public static partial void RequestFailed(ILogger logger, string? topic, string error);

    [LoggerMessage(EventId = 707, Level = LogLevel.Warning, Message = "free: job {Id} holds no resources")]
    public static partial void FreeUnknownJob(ILogger logger, string id);

    [LoggerMessage(EventId = 708, Level = LogLevel.Information, Message = "{Nodes} nodes, {Cores} cores, {Gpus} gpus ({Summary}); queue depth {Depth}; oversubscription {Over}")]
    public static partial void Loaded(ILogger logger, int nodes, int cores, int gpus, string summary, QueueDepth depth, string over);

    [LoggerMessage(EventId = 709, Level = LogLevel.Information, Message = "oversubscription {State}")]
    public static partial void Oversubscription(ILogger logger, string state);

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "{Service}.disconnect: {Error}")]
    public static partial void DisconnectFailed(ILogger logger, string service, string error);

    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "ranks {Ranks} down")]
    public static partial void RanksDown(ILogger logger, string ranks);

    [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "ranks {Ranks} up")]
    public static partial void RanksUp(ILogger logger, string ranks);

    [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "the resource.acquire stream ended")]
    public static partial void AcquireEnded(ILogger logger);

    [LoggerMessage(EventId = 714, Level = LogLevel.Error, Message = "resource.acquire: {Error}")]
    public static partial void AcquireFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 715, Level = LogLevel.Information, Message = "ready ({Depth}), {Jobs} jobs hold resources, job-manager queue depth {Count}")]
    public static partial void Ready(ILogger logger, QueueDepth depth, int jobs, string count);

    [LoggerMessage(EventId = 716, Level = LogLevel.Information, Message = "job-manager is not loaded: waiting for job-manager.online")]
    public static partial void JobManagerNotLoaded(ILogger logger);

    [LoggerMessage(EventId = 717, Level = LogLevel.Error, Message = "hello: job {Id} holds ranks {Ranks} that are not in the resource set")]
    public static partial void HelloUnknownRanks(ILogger logger, string id, string ranks);

    [LoggerMessage(EventId = 718, Level = LogLevel.Error, Message = "hello: job {Id}: cannot read its R: {Error}")]
    public static partial void HelloNoR(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 719, Level = LogLevel.Warning, Message = "the kvs service is not loaded: allocations are answered but R is not stored")]
    public static partial void NoKvs(ILogger logger);
}
