// Log messages of job-manager's housekeeping, source-generated (event ids 370-379).
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

internal static partial class HousekeepingLog
{
    [LoggerMessage(EventId = 370, Level = LogLevel.Debug, Message = "housekeeping: {Job} started")]
    public static partial void Started(ILogger logger, string job);

    [LoggerMessage(EventId = 371, Level = LogLevel.Debug, Message = "housekeeping: {Job} complete")]
    public static partial void Complete(ILogger logger, string job);

    [LoggerMessage(EventId = 372, Level = LogLevel.Information, Message = "housekeeping: {Host} (rank {Rank}) {Job}: {Line}")]
    public static partial void Output(ILogger logger, string host, uint rank, string job, string line);

    [LoggerMessage(EventId = 373, Level = LogLevel.Error, Message = "housekeeping: {Host} (rank {Rank}) {Job}: {Line}")]
    public static partial void ErrorOutput(ILogger logger, string host, uint rank, string job, string line);

    [LoggerMessage(EventId = 374, Level = LogLevel.Error, Message = "housekeeping: {Host} (rank {Rank}) {Job}: {Reason}")]
    public static partial void Failed(ILogger logger, string host, uint rank, string job, string reason);

    [LoggerMessage(EventId = 375, Level = LogLevel.Error, Message = "housekeeping: {Job}: {Error}; returning its resources to the scheduler")]
    public static partial void StartFailed(ILogger logger, string job, string error);

    [LoggerMessage(EventId = 376, Level = LogLevel.Error, Message = "housekeeping: failed to drain rank {Rank} for {Job}: {Error}")]
    public static partial void DrainFailed(ILogger logger, uint rank, string job, string error);

    [LoggerMessage(EventId = 377, Level = LogLevel.Error, Message = "housekeeping: {Host} (rank {Rank}) from {Job} will be terminated because {Why}")]
    public static partial void Terminated(ILogger logger, string host, string rank, string job, string why);
}
