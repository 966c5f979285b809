// flux-shell's log messages (they go to the broker's log through the handle's logger).
using Microsoft.Extensions.Logging;

namespace Flux.ShellHost;

internal static partial class ShellHostLog
{
    [LoggerMessage(1, LogLevel.Debug, "shell host {Service} ready (pid {Pid})")]
    public static partial void Ready(ILogger logger, string service, int pid);

    [LoggerMessage(2, LogLevel.Error, "job {Id}: the job shell failed: {Error}")]
    public static partial void ShellFailed(ILogger logger, ulong id, string error);
}
