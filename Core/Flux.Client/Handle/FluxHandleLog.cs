// The handle's log messages; the logger's category already names the module, so they do not.
using Microsoft.Extensions.Logging;

namespace Flux.Client.Handle;

internal static partial class FluxHandleLog
{
    [LoggerMessage(1, LogLevel.Error, "handler for {Topic} failed: {Error}")]
    public static partial void HandlerFailed(ILogger logger, string topic, string error);

    [LoggerMessage(2, LogLevel.Error, "{What} failed: {Error}")]
    public static partial void BackgroundFailed(ILogger logger, string what, string error);

    [LoggerMessage(3, LogLevel.Error, "cleanup after {What} failed: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string what, string error);

    [LoggerMessage(4, LogLevel.Error, "client handler failed")]
    public static partial void ClientHandlerFailed(ILogger logger, Exception error);
}
