// The job-ingest module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobIngest;

/// <summary>Log messages of job-ingest (event ids 200-249).</summary>
internal static partial class JobIngestLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "batch of {Count} submissions failed: {Error}")]
    public static partial void BatchFailed(ILogger logger, int count, string error);
}
