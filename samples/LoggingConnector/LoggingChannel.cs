// The channel a logging: URI opens: the wrapped channel, with a line written per message.
using Flux.Abstractions;

namespace LoggingConnector;

/// <summary>
/// Passes every message through to and from the wrapped channel unchanged, writing
/// <c>send|recv TYPE TOPIC</c> (and the errnum of an error response) for each one. Sends come from
/// any thread and receives from the channel's reader, so writes to the log are serialized.
/// </summary>
internal sealed class LoggingChannel(IMessageChannel inner, TextWriter log, bool ownsLog) : IMessageChannel
{
    private readonly Lock _lock = new();

    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Write("send", message);
        inner.Send(message);
    }

    public void Start(Action<Message> receiver, Action<Exception?> closed) =>
        inner.Start(m =>
        {
            Write("recv", m);
            receiver(m);
        }, closed);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        if (ownsLog)
        {
            lock (_lock)
            {
                log.Dispose();
            }
        }
    }

    private void Write(string direction, Message m)
    {
        var line = m.Type == MessageType.Response && m.Errnum != 0
            ? $"{direction} {m.Type.ToString().ToLowerInvariant()} {m.Topic} errnum={m.Errnum}"
            : $"{direction} {m.Type.ToString().ToLowerInvariant()} {m.Topic}";
        lock (_lock)
        {
            log.WriteLine(line);
        }
    }
}
