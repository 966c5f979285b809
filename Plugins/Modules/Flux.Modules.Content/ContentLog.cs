// The content module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Content;

/// <summary>Log messages of content (event ids 100-149).</summary>
internal static partial class ContentLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "hash {Hash}, purge-target-size {Target}")]
    public static partial void Loaded(ILogger logger, string hash, long target);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "{Count} blobs were never written to a backing store and are lost")]
    public static partial void DirtyLost(ILogger logger, int count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "dropped {Count} clean blobs")]
    public static partial void Dropped(ILogger logger, int count);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "backing store {Name} registered{Batch}")]
    public static partial void BackingRegistered(ILogger logger, string name, string batch);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "backing store unregistered")]
    public static partial void BackingUnregistered(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "writing {Count} blobs to the backing store failed: {Error}")]
    public static partial void BatchWriteFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "writing {Blobref} to the backing store failed: {Error}")]
    public static partial void WriteFailed(ILogger logger, string blobref, string error);
}
