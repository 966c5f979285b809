// Log messages of .validate-duration, source-generated (event ids 380-389).
using Microsoft.Extensions.Logging;

namespace Flux.Jobtap.Builtins;

internal static partial class ValidateDurationLog
{
    [LoggerMessage(EventId = 380, Level = LogLevel.Debug, Message = "updated expiration to {Expiration:F2}")]
    public static partial void Expiration(ILogger logger, double expiration);
}
