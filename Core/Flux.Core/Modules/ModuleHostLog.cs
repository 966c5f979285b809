// The module host's log messages, source-generated (they go to the broker's log).
using Microsoft.Extensions.Logging;

namespace Flux.Core.Modules;

/// <summary>Log messages of the module host (event ids 1100-1199); each names the module it is about.</summary>
internal static partial class ModuleHostLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "module {Name}: failed to load: {Error}")]
    public static partial void ModuleLoadFailed(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "module {Name}: load canceled")]
    public static partial void ModuleLoadCanceled(ILogger logger, string name);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "module {Name}: loaded from {Path}")]
    public static partial void ModuleLoaded(ILogger logger, string name, string path);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "module {Name}: unhandled exception, unloading it: {Error}")]
    public static partial void ModuleUnhandled(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "module {Name}: unload after failure: {Error}")]
    public static partial void ModuleUnloadAfterFailure(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "module {Name}: error while unloading: {Error}")]
    public static partial void ModuleUnloadError(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "module {Name}: removed")]
    public static partial void ModuleRemoved(ILogger logger, string name);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "module {Name}: did not {What} within {Timeout} (broker.module-timeout)")]
    public static partial void ModuleTimedOut(ILogger logger, string name, string what, string timeout);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Error, Message = "module {Name}: UnloadAsync did not return within {Timeout}: removing it anyway")]
    public static partial void ModuleUnloadTimedOut(ILogger logger, string name, string timeout);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error, Message = "module {Name}: its loop is still busy after {Timeout}: dropped without it (its code stays loaded)")]
    public static partial void ModuleLoopStuck(ILogger logger, string name, string timeout);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "module {Name}: request handler '{Topic}' is outside the module's services ({Services}): its requests go to that service, not here; register topics under the module's name (flux module load -n changes it) or add the service (IFlux.AddServiceAsync)")]
    public static partial void HandlerOutsideServices(ILogger logger, string name, string topic, string services);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Debug, Message = "module {Name}: loading {Path}")]
    public static partial void ModuleLoading(ILogger logger, string name, string path);
}
