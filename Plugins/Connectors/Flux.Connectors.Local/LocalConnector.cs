// The local:// connector: a unix-domain stream socket to the broker, as flux-core's connector-local.
using System.Net.Sockets;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Connectors.Local;

/// <summary>
/// Opens <c>local://PATH</c>. After connecting, the broker sends one byte: 0 to proceed, else an
/// errno explaining why the connection is refused (for example EPERM for a user who is not the
/// instance owner).
/// Messages travel as RFC 3 frames behind the 8-byte stream prefix (<see cref="FramedSocket"/>).
/// </summary>
[FluxPlugin("local", PluginKind.Connector)]
public sealed class LocalConnector : IConnector
{
    /// <inheritdoc />
    public async ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            var b = new byte[1];
            var n = await socket.ReceiveAsync(b, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n != 1)
            {
                throw new FluxException(Errno.ECONNRESET, $"local://{path}: the broker closed the connection during authentication");
            }
            if (b[0] != 0)
            {
                var reason = b[0] == Errno.EPERM
                    ? "only the instance owner may connect to this instance"
                    : Errno.Describe(b[0]);
                throw new FluxException(b[0], $"local://{path}: connection refused by the broker: {reason}");
            }
            return new SocketChannel(socket);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var errnum = ex.SocketErrorCode switch
            {
                SocketError.AccessDenied => Errno.EACCES,
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => Errno.ECONNREFUSED,
                _ => Errno.ENOENT,
            };
            var why = File.Exists(path) || Directory.Exists(Path.GetDirectoryName(path)) && ex.SocketErrorCode == SocketError.ConnectionRefused
                ? "no broker is listening (is the instance running?)"
                : ex.SocketErrorCode == SocketError.AccessDenied ? Errno.Describe(Errno.EACCES) : "no such socket (is the instance running?)";
            throw new FluxException(errnum, $"cannot connect to local://{path}: {why}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class SocketChannel(Socket socket) : IMessageChannel
    {
        private readonly FramedSocket _framed = new(socket);

        public void Send(Message message) => _framed.Send(message);

        public void Start(Action<Message> receiver, Action<Exception?> closed) => _framed.Start(receiver, closed);

        public ValueTask DisposeAsync() => _framed.DisposeAsync();
    }
}
