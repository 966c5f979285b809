// flux-shell's log messages (they go to the broker's log through the handle's logger).
using Microsoft.Extensions.Logging;

namespace Flux.ShellHost;

internal static partial class ShellHostLog
{
    [LoggerMessage(1, LogLevel.Debug, "shell host {Service} ready (pid {Pid})")]
    public static partial void Ready(ILogger logger, string service, int pid);

    [LoggerMessage(2, LogLevel.Error, "job {Id}: the job shell failed: {Error}")]
    public static partial void ShellFailed(ILogger logger, ulong id, string error);

    [LoggerMessage(3, LogLevel.Warning, "broker connection lost; the tasks keep running while the shell host reconnects (for up to {Seconds}s)")]
    public static partial void ConnectionLost(ILogger logger, double seconds);

    [LoggerMessage(4, LogLevel.Information, "broker: reconnected ({Uri})")]
    public static partial void Reconnected(ILogger logger, string uri);

    [LoggerMessage(5, LogLevel.Error, "shell host gives up: {Why}; killing the tasks of {Jobs} job(s)")]
    public static partial void GaveUp(ILogger logger, string why, int jobs);

    [LoggerMessage(6, LogLevel.Error, "job {Id}: not taken over by job-exec within {Seconds}s of the reconnection; killing its tasks")]
    public static partial void NotReattached(ILogger logger, ulong id, double seconds);
}
