// SO_PEERCRED on a unix socket: the connecting process's pid, uid and gid.
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Flux.Client.Connectors;

/// <summary>Reads the peer credentials of a connected unix socket (Linux <c>SO_PEERCRED</c>).</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Returns (pid, uid, gid) of the peer.</summary>
    public static (int Pid, uint Uid, uint Gid) Get(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> buf = stackalloc byte[12];
        var n = socket.GetRawSocketOption(SolSocket, SoPeerCred, buf);
        if (n < 12)
        {
            throw new SocketException((int)SocketError.ProtocolOption);
        }
        return (MemoryMarshal.Read<int>(buf), MemoryMarshal.Read<uint>(buf[4..]), MemoryMarshal.Read<uint>(buf[8..]));
    }

    /// <summary>The real uid of this process.</summary>
    public static uint CurrentUid => getuid();

    [DllImport("libc", SetLastError = false)]
    private static extern uint getuid();
}
