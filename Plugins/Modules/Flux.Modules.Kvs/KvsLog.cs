// The kvs module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

/// <summary>Log messages of kvs (event ids 500-549).</summary>
internal static partial class KvsLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "checkpoint{Final}: primary sequence {Seq} {Rootref}")]
    public static partial void Checkpoint(ILogger logger, string final, long seq, string rootref);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "garbage collection requested for shutdown")]
    public static partial void GcRequested(ILogger logger);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "namespace {Name} not restored: {Error}")]
    public static partial void NamespaceNotRestored(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "restored from the checkpoint of {When}: primary namespace at sequence {Seq}, {Count} other namespaces")]
    public static partial void Restored(ILogger logger, string when, long seq, int count);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "final checkpoint failed: {Error}")]
    public static partial void FinalCheckpointFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "checkpoint failed: {Error}")]
    public static partial void CheckpointFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "{Count} KVS commits since the last garbage collection reach gc-threshold ({Threshold}) {When}: run 'flux shutdown --gc' (or 'flux content gc' offline) to remove unreachable content")]
    public static partial void GcAdvised(ILogger logger, long count, long threshold, string when);

    [LoggerMessage(EventId = 507, Level = LogLevel.Debug, Message = "namespace {Name} created for uid {Owner}")]
    public static partial void NamespaceCreated(ILogger logger, string name, uint owner);

    [LoggerMessage(EventId = 508, Level = LogLevel.Error, Message = "cannot publish {Topic}: {Error}")]
    public static partial void PublishFailed(ILogger logger, string? topic, string error);
}
