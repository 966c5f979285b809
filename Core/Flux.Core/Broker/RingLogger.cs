// The broker's own ILogger, writing straight into its log ring.
using Flux.Client.Handle;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>Logs broker-internal records to the ring without a message round trip.</summary>
public sealed class RingLogger(LogRing ring, string name, uint rank) : ILogger
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var text = formatter(state, exception);
        ring.Append(BrokerLogger.ToSyslog(logLevel), name, rank, exception is null ? text : text + ": " + exception.Message);
    }
}
