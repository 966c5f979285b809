// The job-manager module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

/// <summary>Log messages of job-manager (event ids 300-349).</summary>
internal static partial class JobManagerLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "safe mode ({Reason}): job submission disabled and scheduling stopped until the owner enables them")]
    public static partial void SafeMode(ILogger logger, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "scheduler ready ({Mode})")]
    public static partial void SchedulerReady(ILogger logger, string mode);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "sched.alloc for job {Id} failed: {Error}; scheduling suspended until the scheduler says ready")]
    public static partial void AllocFailed(ILogger logger, ulong id, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "sched.free for job {Id}: {Error}")]
    public static partial void FreeFailed(ILogger logger, ulong id, string error);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "purge of {Count} jobs failed: {Error}")]
    public static partial void PurgeFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "execution service is {Service}")]
    public static partial void ExecService(ILogger logger, string service);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "job {Id}: unknown exec response '{Type}'")]
    public static partial void UnknownExecResponse(ILogger logger, ulong id, string? type);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "eventlog commit of {Count} operations failed: {Error}")]
    public static partial void EventlogCommitFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 308, Level = LogLevel.Error, Message = "checkpoint failed: {Error}")]
    public static partial void CheckpointFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 309, Level = LogLevel.Error, Message = "job {Id} not replayed: {Error}")]
    public static partial void NotReplayed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "mv {Key} {LostKey}: {Error}")]
    public static partial void LostFoundMoveFailed(ILogger logger, string key, string lostKey, string error);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "restored {Count} jobs ({Active} active)")]
    public static partial void Restored(ILogger logger, int count, int active);
}
