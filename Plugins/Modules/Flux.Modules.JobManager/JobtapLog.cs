// Log messages of job-manager's jobtap plugin host, source-generated (event ids 350-369).
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

internal static partial class JobtapLog
{
    [LoggerMessage(EventId = 350, Level = LogLevel.Error, Message = "jobtap plugin {Plugin} failed at {Topic}: {Error}")]
    public static partial void PluginFault(ILogger logger, string plugin, string topic, string error);

    [LoggerMessage(EventId = 351, Level = LogLevel.Information, Message = "jobtap plugin {Plugin} loaded from {Path}")]
    public static partial void Loaded(ILogger logger, string plugin, string path);

    [LoggerMessage(EventId = 352, Level = LogLevel.Information, Message = "jobtap plugin {Plugin} removed")]
    public static partial void Removed(ILogger logger, string plugin);

    [LoggerMessage(EventId = 353, Level = LogLevel.Error, Message = "{Entry}: {Error}")]
    public static partial void ConfigLoadFailed(ILogger logger, string entry, string error);

    [LoggerMessage(EventId = 354, Level = LogLevel.Error, Message = "job {Id}: dependency check failed: {Error}")]
    public static partial void DependencyCheckFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 355, Level = LogLevel.Error, Message = "jobtap plugin {Plugin} refused the configuration it had before a refused reload: {Error}")]
    public static partial void ConfRestoreFailed(ILogger logger, string plugin, string error);
}
