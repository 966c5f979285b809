// The kvs-watch module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Kvs;

/// <summary>Log messages of kvs-watch (event ids 550-599).</summary>
internal static partial class KvsWatchLog
{
    [LoggerMessage(EventId = 550, Level = LogLevel.Debug, Message = "dropped {Count} watches of a client that went away")]
    public static partial void DroppedWatches(ILogger logger, int count);
}
