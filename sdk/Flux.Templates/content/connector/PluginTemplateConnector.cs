// The plugin-template connector: plugin-template:///PATH reaches the broker at local:///PATH, counting the messages it carries.
using Flux.Abstractions;

namespace PluginTemplate;

/// <summary>
/// Every Flux client (each flux command, any program using the client library) picks a connector by the scheme of
/// its URI; once installed, this one serves <c>plugin-template:</c>:
/// <code>
/// FLUX_URI="plugin-template://${FLUX_URI#local://}" flux getattr rank
/// </code>
/// It wraps the channel of the built-in local connector; a real one would open its own transport
/// (a socket, a tunnel). With <c>?trace=1</c> it writes one line per message to stderr.
/// </summary>
/// <param name="any">The client's connector for any URI, given to a connector whose constructor asks for one.</param>
[FluxPlugin("plugin-template", PluginKind.Connector, Description = "plugin-template:///PATH reaches local:///PATH")]
public sealed class PluginTemplateConnector(IConnector any) : IConnector
{
    /// <inheritdoc />
    public async ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.AbsolutePath.Length <= 1)
        {
            throw new FluxException(Errno.EINVAL, $"{uri.OriginalString}: expected plugin-template:///PATH (PATH: a broker's local socket)");
        }
        var trace = uri.Query is "?trace=1";
        var inner = await any.ConnectAsync(new Uri("local://" + uri.AbsolutePath), cancellationToken).ConfigureAwait(false);
        return trace ? new TracingChannel(inner) : inner;
    }

    // Passes messages through, writing "send|recv TOPIC" for each to stderr.
    private sealed class TracingChannel(IMessageChannel inner) : IMessageChannel
    {
        public void Send(Message message)
        {
            Console.Error.WriteLine($"plugin-template: send {message.Topic}");
            inner.Send(message);
        }

        public void Start(Action<Message> receiver, Action<Exception?> closed) =>
            inner.Start(m =>
            {
                Console.Error.WriteLine($"plugin-template: recv {m.Topic}");
                receiver(m);
            }, closed);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
