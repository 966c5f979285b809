// Log messages of the perilog jobtap plugin, source-generated (event ids 380-389).
using Microsoft.Extensions.Logging;

namespace Flux.Jobtap.Perilog;

internal static partial class PerilogLog
{
    [LoggerMessage(EventId = 380, Level = LogLevel.Information, Message = "{Job}: {Name}: {Host} (rank {Rank}): {Stream}: {Line}")]
    public static partial void Output(ILogger logger, string job, string name, string host, uint rank, string stream, string line);

    [LoggerMessage(EventId = 381, Level = LogLevel.Error, Message = "{Job}: {Name}: {Host} (rank {Rank}): {Stream}: {Line}")]
    public static partial void ErrorOutput(ILogger logger, string job, string name, string host, uint rank, string stream, string line);

    [LoggerMessage(EventId = 382, Level = LogLevel.Error, Message = "{Job}: timed out waiting for SIGTERM to terminate {Name}")]
    public static partial void KillTimedOut(ILogger logger, string job, string name);

    [LoggerMessage(EventId = 383, Level = LogLevel.Error, Message = "Failed to drain ranks with failed {Name} for {Job}: {Error}")]
    public static partial void DrainFailed(ILogger logger, string name, string job, string error);

    [LoggerMessage(EventId = 384, Level = LogLevel.Error, Message = "{Job}: {Name}: {Error}")]
    public static partial void Failed(ILogger logger, string job, string name, string error);
}
