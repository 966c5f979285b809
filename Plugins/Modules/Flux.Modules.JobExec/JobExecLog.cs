// job-exec's log messages; the logger's category already names the module, so they do not.
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec;

internal static partial class JobExecLog
{
    [LoggerMessage(1, LogLevel.Debug, "job-manager not loaded yet; waiting for job-manager.online")]
    public static partial void WaitingForJobManager(ILogger logger);

    [LoggerMessage(2, LogLevel.Error, "job {Id}: saving the guest namespace failed: {Error}")]
    public static partial void SnapshotFailed(ILogger logger, ulong id, string error);

    [LoggerMessage(8, LogLevel.Error, "job {Id}: removing the guest namespace {Namespace} failed: {Error}")]
    public static partial void NamespaceRemoveFailed(ILogger logger, ulong id, string @namespace, string error);

    [LoggerMessage(3, LogLevel.Error, "job {Id}: the job shell failed: {Error}")]
    public static partial void ShellFailed(ILogger logger, ulong id, string error);

    [LoggerMessage(4, LogLevel.Debug, "shell host {Service} started (pid {Pid})")]
    public static partial void ShellHostStarted(ILogger logger, string service, int pid);

    [LoggerMessage(5, LogLevel.Error, "shell host {Service} (pid {Pid}) exited unexpectedly ({Status}) with {Jobs} job(s) running")]
    public static partial void ShellHostLost(ILogger logger, string service, int pid, string status, int jobs);

    [LoggerMessage(6, LogLevel.Information, "shell host {Service} (pid {Pid}) reconnected after the restart with {Jobs} job(s)")]
    public static partial void ShellHostReturned(ILogger logger, string service, int pid, int jobs);

    [LoggerMessage(9, LogLevel.Warning, "starting the shell host before the first job failed (the first job will try again): {Error}")]
    public static partial void ShellHostPrestartFailed(ILogger logger, string error);

    [LoggerMessage(7, LogLevel.Warning, "writing {Path} for shell hosts that reconnect failed: {Error}")]
    public static partial void UriFileFailed(ILogger logger, string path, string error);
}
