// The job-list module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobList;

/// <summary>Log messages of job-list (event ids 400-449).</summary>
internal static partial class JobListLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "job-manager is online, following its journal")]
    public static partial void JobManagerOnline(ILogger logger);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "malformed journal entry: {Error}")]
    public static partial void MalformedEntry(ILogger logger, string error);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "journal entry is not an object")]
    public static partial void EntryNotObject(ILogger logger);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "job-manager is not loaded; waiting for job-manager.online")]
    public static partial void JobManagerNotLoaded(ILogger logger);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "the job-manager journal ended ({Error}); waiting for job-manager.online")]
    public static partial void JournalEnded(ILogger logger, string error);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "journal entry without a valid id: {Entry}")]
    public static partial void EntryWithoutId(ILogger logger, string entry);

    [LoggerMessage(EventId = 406, Level = LogLevel.Debug, Message = "journal backlog complete, {Count} jobs")]
    public static partial void BacklogComplete(ILogger logger, int count);

    [LoggerMessage(EventId = 407, Level = LogLevel.Debug, Message = "no R for job {Id}: {Error}")]
    public static partial void NoR(ILogger logger, ulong id, string error);
}
