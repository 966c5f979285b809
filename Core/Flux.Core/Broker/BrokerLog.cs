// The broker's log messages, source-generated; the logger's name ("broker") says whose they are.
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>Log messages of the broker runtime (event ids 1000-1099).</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "started, rundir {Rundir}")]
    public static partial void Started(ILogger logger, string rundir);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "shutdown requested while the initial program runs: sending it SIGHUP")]
    public static partial void ShutdownWithProgram(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Reason}: starting in safe mode (job submission disabled and scheduling stopped until the owner enables them: flux queue enable --all; flux queue start --all)")]
    public static partial void SafeMode(ILogger logger, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "shutdown requested by uid {Uid}: {Reason}")]
    public static partial void ShutdownRequested(ILogger logger, uint uid, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "config: reloaded {Path}")]
    public static partial void ConfigReloaded(ILogger logger, string path);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "config: SIGHUP ignored: no config path")]
    public static partial void ConfigSighupIgnored(ILogger logger);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "config: reloaded {Path} on SIGHUP")]
    public static partial void ConfigReloadedOnSighup(ILogger logger, string path);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "config: reload on SIGHUP failed: {Error}")]
    public static partial void ConfigSighupFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "{What} failed: {Error}")]
    public static partial void BackgroundFailed(ILogger logger, string what, string error);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "connector-local: refused connection from uid {Uid} (pid {Pid}): only the instance owner (uid {Owner}) may connect")]
    public static partial void RefusedConnection(ILogger logger, uint uid, int pid, uint owner);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Error, Message = "connector-local: {Id}: {Error}")]
    public static partial void ConnectionFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "{Id} (uid {Uid}) sent a response to no request it was handed ({Topic}, matchtag {Matchtag}): dropped ({Dropped} dropped since the last report)")]
    public static partial void ResponseDropped(ILogger logger, string id, uint uid, string topic, uint matchtag, long dropped);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "connector-local: refused connection from uid {Uid} (pid {Pid}): {Max} clients are connected (broker.max-clients); {Refused} refused since the last report")]
    public static partial void TooManyClients(ILogger logger, uint uid, int pid, int max, long refused);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning, Message = "connector-local: {Id} (uid {Uid}) disconnected: {Queued} bytes wait for it to read, more than broker.client-queue-limit ({Limit})")]
    public static partial void ClientTooSlow(ILogger logger, string id, uint uid, long queued, long limit);

    [LoggerMessage(EventId = 1034, Level = LogLevel.Error, Message = "connector-local: accept failed with {Clients} clients connected, retrying: {Error}")]
    public static partial void AcceptFailed(ILogger logger, string error, int clients);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "the initial program (pid {Pid}) did not exit within the shutdown grace ({Grace}) after SIGHUP: sending it SIGKILL")]
    public static partial void ProgramKilled(ILogger logger, int pid, string grace);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "startlog: cannot record the finish: {Error}")]
    public static partial void StartlogFinishFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "removed {Dir}, the rundir of a broker that died")]
    public static partial void StaleRundirRemoved(ILogger logger, string dir);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "shutdown did not finish within the shutdown grace ({Grace}): exiting anyway")]
    public static partial void ShutdownGraceExpired(ILogger logger, string grace);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Critical, Message = "{Text}")]
    public static partial void PluginEndedProcess(ILogger logger, string text);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "descriptor limit raised from {Before} to {After}")]
    public static partial void DescriptorLimitRaised(ILogger logger, long before, long after);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "restoring content from {File}")]
    public static partial void RestoringContent(ILogger logger, string file);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "restored {Count} keys from {File}")]
    public static partial void RestoredContent(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "dumping content to {File}")]
    public static partial void DumpingContent(ILogger logger, string file);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Information, Message = "dumped {Count} keys to {File}")]
    public static partial void DumpedContent(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Error, Message = "content.dump: {File}: {Reason}")]
    public static partial void ContentDumpFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Error, Message = "content.dump: the kvs module is not loaded at shutdown: nothing dumped")]
    public static partial void ContentDumpNoKvs(ILogger logger);
}
