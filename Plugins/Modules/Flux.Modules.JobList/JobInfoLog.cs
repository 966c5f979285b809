// The job-info module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobList;

/// <summary>Log messages of job-info (event ids 450-499).</summary>
internal static partial class JobInfoLog
{
    [LoggerMessage(EventId = 450, Level = LogLevel.Debug, Message = "stopped watching {Key} for job {Id}")]
    public static partial void StoppedWatching(ILogger logger, string key, ulong id);
}
