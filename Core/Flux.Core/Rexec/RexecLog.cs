// The rexec service's log messages (flux dmesg), source-generated; a background process's output and exit as flux-core logs them.
using Microsoft.Extensions.Logging;

namespace Flux.Core.Rexec;

/// <summary>Log messages of the subprocess server (event ids 1200-1219).</summary>
internal static partial class RexecLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Label}[{Pid}]: {Line}")]
    public static partial void Stdout(ILogger logger, string label, int pid, string line);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "{Label}[{Pid}]: {Line}")]
    public static partial void Stderr(ILogger logger, string label, int pid, string line);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Prefix}{Command}[{Pid}]: Exit {Code}")]
    public static partial void Exited(ILogger logger, string prefix, string command, int pid, int code);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "{Prefix}{Command}[{Pid}]: Killed by signal {Signal}")]
    public static partial void Signaled(ILogger logger, string prefix, string command, int pid, int signal);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Error decoding rexec.write request: {Error}")]
    public static partial void BadWrite(ILogger logger, string error);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error, Message = "rexec: pid {Pid}: internal fatal error: {Error}")]
    public static partial void Fatal(ILogger logger, int pid, string error);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "rexec: {Count} processes still running {Seconds}s after SIGKILL at shutdown")]
    public static partial void ShutdownLeft(ILogger logger, int count, double seconds);
}
