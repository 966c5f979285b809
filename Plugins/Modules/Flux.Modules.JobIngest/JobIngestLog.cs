// The job-ingest module's log messages, source-generated; the logger's name says which module they come from.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobIngest;

/// <summary>Log messages of job-ingest (event ids 200-249).</summary>
internal static partial class JobIngestLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "batch of {Count} submissions failed: {Error}")]
    public static partial void BatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "{Stage} plugin {Name} failed at {Topic}")]
    public static partial void PluginFailed(ILogger logger, string stage, string name, string topic, Exception exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "configured frobnicator {Frobnicator}; validator {Validator}")]
    public static partial void Configured(ILogger logger, IngestStageConfig? frobnicator, IngestStageConfig validator);
}
