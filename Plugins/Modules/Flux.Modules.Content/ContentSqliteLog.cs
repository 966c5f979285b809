// The content-sqlite module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Content;

/// <summary>Log messages of content-sqlite (event ids 150-199).</summary>
internal static partial class ContentSqliteLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "statedir is not set: using a private temporary directory {Dir}, removed at exit (start with -S statedir=DIR to keep the KVS)")]
    public static partial void TemporaryStatedir(ILogger logger, string dir);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "{Path}: {Count} blobs")]
    public static partial void Opened(ILogger logger, string path, long count);

    [LoggerMessage(EventId = 152, Level = LogLevel.Error, Message = "final write-back from the content cache failed: {Error}")]
    public static partial void FinalWriteBackFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 153, Level = LogLevel.Error, Message = "cannot remove {Dir}: {Error}")]
    public static partial void RemoveFailed(ILogger logger, string dir, string error);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "{Path} was not shut down cleanly ({Running}); restored checkpoint from {When}")]
    public static partial void NotShutDownCleanly(ILogger logger, string path, string running, string when);

    [LoggerMessage(EventId = 156, Level = LogLevel.Information, Message = "unreachable blobs will be removed at shutdown")]
    public static partial void GcAtShutdown(ILogger logger);

    [LoggerMessage(EventId = 157, Level = LogLevel.Information, Message = "gc: removed {Removed} of {Before} blobs unreachable from the last checkpoint ({Path}: {SizeBefore} bytes before)")]
    public static partial void GcDone(ILogger logger, long removed, long before, string path, long sizeBefore);

    [LoggerMessage(EventId = 155, Level = LogLevel.Error, Message = "write of {Count} requests failed and was rolled back: {Error}")]
    public static partial void WriteFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 158, Level = LogLevel.Error, Message = "at shutdown: {Error}")]
    public static partial void ShutdownWriteFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "{Path}: replayed {Count} journal records that SQLite did not hold yet (up to record {Seq})")]
    public static partial void Replayed(ILogger logger, string path, int count, long seq);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "write-behind of {Count} journal records to SQLite failed (tried again with the next write; the journal keeps them): {Error}")]
    public static partial void WriteBehindFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "cannot empty or set aside the journal {Path} (tried again after the next write-behind): {Error}")]
    public static partial void JournalTrimFailed(ILogger logger, string path, string error);
}
