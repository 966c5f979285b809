// An ILogger whose records go to the broker's log ring buffer through log.append.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Client.Handle;

/// <summary>
/// Sends each record as a NORESPONSE <c>log.append</c> request with its syslog severity, the
/// component name and the text, so it shows in <c>flux dmesg</c> with the module's name.
/// </summary>
public sealed class BrokerLogger : ILogger
{
    private readonly IFlux _flux;
    private readonly string _name;

    /// <summary>Creates a logger that tags records with a component name.</summary>
    public BrokerLogger(IFlux flux, string name)
    {
        _flux = flux;
        _name = name;
    }

    /// <summary>The syslog severity (RFC 5424) of a .NET log level.</summary>
    public static int ToSyslog(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var text = formatter(state, exception);
        if (exception is not null)
        {
            text += ": " + exception.Message;
        }
        var req = Message.Request("log.append", new JsonObject
        {
            ["level"] = ToSyslog(logLevel),
            ["name"] = _name,
            ["message"] = text,
        });
        req.Flags |= MessageFlags.NoResponse;
        try
        {
            _flux.Send(req);
        }
        catch (FluxException)
        {
            Console.Error.WriteLine($"{_name}: {text}");
        }
    }
}
