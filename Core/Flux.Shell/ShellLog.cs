// The job shell's log messages; the logger's category already names the module that hosts the shell.
using Microsoft.Extensions.Logging;

namespace Flux.Shell;

internal static partial class ShellLog
{
    [LoggerMessage(1, LogLevel.Warning, "job {Id}: plugin {Plugin} failed in {Topic}")]
    public static partial void PluginFailed(ILogger logger, ulong id, string plugin, string topic);

    [LoggerMessage(2, LogLevel.Information, "job {Id}: {Shell} {Stream}: {Line}")]
    public static partial void ExternalShellOutput(ILogger logger, ulong id, string shell, string stream, string line);
}
