// A connected pair of UNIX stream sockets, such as a task channel whose one end a task inherits (PMI_FD).
using System.Net.Sockets;

namespace Flux.Subprocess;

/// <summary>
/// Creates the two ends of a channel between the shell and a task, as libsubprocess's
/// flux_cmd_add_channel does: the task's end goes into <see cref="TaskStartInfo.ExtraFiles"/> (its
/// <see cref="Socket.SafeHandle"/>) and is disposed once the task has started; the other end stays
/// with the caller. Both are close-on-exec, so no other task started meanwhile inherits them.
/// </summary>
public static unsafe class SocketPair
{
    /// <exception cref="IOException">socketpair(2) failed (out of descriptors, say).</exception>
    public static (Socket Ours, Socket Theirs) Create()
    {
        var pair = stackalloc int[2];
        if (LibC.socketpair(LibC.AfUnix, LibC.SockStream | LibC.SockCloExec, 0, pair) < 0)
        {
            var errno = LibC.Errno;
            throw new IOException($"socketpair: {LibC.StrError(errno)}", errno);
        }
        return (Wrap(pair[0]), Wrap(pair[1]));
    }

    private static Socket Wrap(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));
}
