// A transport to a broker, chosen by URI scheme.
namespace Flux.Abstractions;

/// <summary>
/// A connector opens a message channel to a broker for a URI of its scheme (<c>local</c>,
/// <c>loop</c>, <c>ssh</c>, ...). Third-party connectors are plugins of kind
/// <see cref="PluginKind.Connector"/> whose name is the scheme, found on FLUX_CONNECTOR_PATH and
/// then in the installation's <c>connectors/</c> folder. The client builds one with a public
/// constructor taking an <see cref="IConnector"/> if it has one (that connector opens any URI by its
/// scheme, so a connector can wrap another), else with a parameterless one.
/// </summary>
public interface IConnector
{
    /// <summary>Opens a channel for a URI of this connector's scheme.</summary>
    ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken);
}

/// <summary>
/// A bidirectional stream of whole messages. Sends may come from any thread; received messages are
/// passed, in order, to the receiver given to <see cref="Start"/>.
/// </summary>
public interface IMessageChannel : IAsyncDisposable
{
    /// <summary>Queues a message for sending; throws <see cref="FluxException"/> (ECONNRESET) once closed.</summary>
    void Send(Message message);

    /// <summary>
    /// Starts delivering received messages to <paramref name="receiver"/>, one at a time in order;
    /// <paramref name="closed"/> is called once when the channel ends, with the error if it failed.
    /// </summary>
    void Start(Action<Message> receiver, Action<Exception?> closed);
}
