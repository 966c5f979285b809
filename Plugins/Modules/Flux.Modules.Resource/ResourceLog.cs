// The resource module's log messages, source-generated; the logger's name says which module they come from.
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.Resource;

/// <summary>Log messages of resource (event ids 600-649).</summary>
internal static partial class ResourceLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "the kvs service is not loaded: drain state is kept in memory only and will not survive a restart")]
    public static partial void NoKvs(ILogger logger);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "{Method}: {Nodes} nodes ({Nodelist}), {Cores} cores, {Gpus} gpus; excluded [{Exclude}]; drained [{Drained}]; single broker: every rank counts as online")]
    public static partial void Loaded(ILogger logger, string method, int nodes, Hostlist nodelist, int cores, int gpus, string exclude, string drained);

    [LoggerMessage(EventId = 602, Level = LogLevel.Debug, Message = "cannot end the acquire stream of {Sender}: {Error}")]
    public static partial void AcquireEndFailed(ILogger logger, string? sender, string error);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "the [resource] table changed: the new resource set takes effect when the instance restarts")]
    public static partial void ConfigChanged(ILogger logger);

    [LoggerMessage(EventId = 604, Level = LogLevel.Debug, Message = "acquire subscriber {Sender} disconnected")]
    public static partial void SubscriberDisconnected(ILogger logger, string? sender);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "dropping acquire subscriber {Sender}: {Error}")]
    public static partial void SubscriberDropped(ILogger logger, string? sender, string error);
}
