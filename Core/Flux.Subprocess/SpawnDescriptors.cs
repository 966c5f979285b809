// The descriptors of one spawn: the task's ends (closed here once the task has its copies) and ours.
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

// Every descriptor is created close-on-exec, so a task spawned concurrently on another thread
// never inherits another task's ends; the file actions dup2 the right ones onto 0-2 and 3.. in
// the child, which clears the flag on the copies.
internal sealed unsafe class SpawnDescriptors(int firstFreeChildFd) : IDisposable
{
    private readonly List<int> _childEnds = [];
    private int _parentStdin = -1;
    private int _parentStdout = -1;
    private int _parentStderr = -1;
    private PtyStream? _pty;

    /// <summary>The descriptor to dup2 onto the task's fd 0, or -1 for /dev/null.</summary>
    public int ChildStdin { get; private set; } = -1;

    public int ChildStdout { get; private set; } = -1;

    public int ChildStderr { get; private set; } = -1;

    /// <summary>The descriptors to dup2 onto the task's fd 3, 4, ...</summary>
    public List<int> ChildExtras { get; } = [];

    /// <summary>The pty slave the task opens as fd 0-2, when it has a pty.</summary>
    public string? SlavePath { get; private set; }

    /// <summary>Creates the descriptors, or returns why the task cannot start.</summary>
    public (int Errno, string Text)? Prepare(TaskStartInfo info, string taskDir)
    {
        if (info.Pty)
        {
            if (OpenPty(info) is { } ptyError)
            {
                return ptyError;
            }
        }
        else
        {
            if (info.Stdin == TaskStdinMode.File)
            {
                // Opened here rather than by a file action so a missing file gets its own message.
                var path = Path.IsPathRooted(info.StdinPath) ? info.StdinPath : Path.Join(taskDir, info.StdinPath);
                var fd = LibC.open(path, LibC.ORdOnly | LibC.OCloExec);
                if (fd < 0 || AdoptChildEnd(fd) is not { } child)
                {
                    var errno = LibC.Errno;
                    return (errno, $"open({info.StdinPath}): {LibC.StrError(errno)}");
                }
                ChildStdin = child;
            }
            else if (info.Stdin == TaskStdinMode.Socket)
            {
                if (SocketPair(out _parentStdin) is not { } child)
                {
                    return Failure("socketpair");
                }
                ChildStdin = child;
            }
            if (SocketPair(out _parentStdout) is not { } stdout || SocketPair(out _parentStderr) is not { } stderr)
            {
                return Failure("socketpair");
            }
            (ChildStdout, ChildStderr) = (stdout, stderr);
        }
        foreach (var handle in info.ExtraFiles)
        {
            // Copied above every dup2 target first, so no copy onto fd 3+i can clobber a source.
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                var copy = LibC.fcntl((int)handle.DangerousGetHandle(), LibC.FDupFdCloExec, firstFreeChildFd);
                if (copy < 0)
                {
                    return Failure("dup(extra file)");
                }
                _childEnds.Add(copy);
                ChildExtras.Add(copy);
            }
            finally
            {
                handle.DangerousRelease();
            }
        }
        return null;
    }

    /// <summary>
    /// Gives the task a descriptor as its next fd after the extra files (the stop-in-exec gate), owned
    /// here as a task end. False (errno set, the descriptor closed) when it cannot be moved.
    /// </summary>
    public bool AddChildExtra(int fd)
    {
        if (AdoptChildEnd(fd) is not { } child)
        {
            return false;
        }
        ChildExtras.Add(child);
        return true;
    }

    public void CloseChildEnds()
    {
        foreach (var fd in _childEnds)
        {
            LibC.close(fd);
        }
        _childEnds.Clear();
    }

    /// <summary>Hands our ends over to the caller, who then owns them.</summary>
    public (Socket? Stdin, Socket? Stdout, Socket? Stderr, PtyStream? Pty) TakeParentEnds()
    {
        var ends = (Wrap(ref _parentStdin), Wrap(ref _parentStdout), Wrap(ref _parentStderr), _pty);
        _pty = null;
        return ends;
    }

    public void Dispose()
    {
        CloseChildEnds();
        foreach (var fd in (ReadOnlySpan<int>)[_parentStdin, _parentStdout, _parentStderr])
        {
            if (fd >= 0)
            {
                LibC.close(fd);
            }
        }
        (_parentStdin, _parentStdout, _parentStderr) = (-1, -1, -1);
        _pty?.Dispose();
        _pty = null;
    }

    private static (int Errno, string Text) Failure(string call)
    {
        var errno = LibC.Errno;
        return (errno, $"{call}: {LibC.StrError(errno)}");
    }

    private static Socket? Wrap(ref int fd)
    {
        if (fd < 0)
        {
            return null;
        }
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        fd = -1;
        return socket;
    }

    /// <summary>A stream socketpair: our end in <paramref name="parentEnd"/>, the task's end returned (null on failure, errno set).</summary>
    private int? SocketPair(out int parentEnd)
    {
        var pair = stackalloc int[2];
        parentEnd = -1;
        if (LibC.socketpair(LibC.AfUnix, LibC.SockStream | LibC.SockCloExec, 0, pair) < 0)
        {
            return null;
        }
        parentEnd = pair[0];
        return AdoptChildEnd(pair[1]);
    }

    /// <summary>
    /// Takes ownership of a task-side descriptor, moved at or above the first free child fd when
    /// it is lower (a broker started with 0-2 closed hands those out), so that no dup2 in the file
    /// actions overwrites a descriptor a later action still needs. Null on failure, errno set.
    /// </summary>
    private int? AdoptChildEnd(int fd)
    {
        if (fd >= firstFreeChildFd)
        {
            _childEnds.Add(fd);
            return fd;
        }
        var moved = LibC.fcntl(fd, LibC.FDupFdCloExec, firstFreeChildFd);
        var errno = LibC.Errno;
        LibC.close(fd);
        if (moved < 0)
        {
            Marshal.SetLastPInvokeError(errno);
            return null;
        }
        _childEnds.Add(moved);
        return moved;
    }

    private (int Errno, string Text)? OpenPty(TaskStartInfo info)
    {
        var master = LibC.posix_openpt(LibC.ORdWr | LibC.ONoCtty | LibC.OCloExec);
        if (master < 0)
        {
            return Failure("posix_openpt");
        }
        if (LibC.grantpt(master) < 0 || LibC.unlockpt(master) < 0)
        {
            var failure = Failure("grantpt");
            LibC.close(master);
            return failure;
        }
        var name = stackalloc byte[128];
        var rc = LibC.ptsname_r(master, name, 128);
        if (rc != 0)
        {
            LibC.close(master);
            return (rc, $"ptsname: {LibC.StrError(rc)}");
        }
        SlavePath = Marshal.PtrToStringUTF8((nint)name);
        _pty = new PtyStream(master);
        // Set before the spawn so the task sees its size from the first instruction.
        _pty.SetWindowSize(info.PtyRows, info.PtyColumns);
        return null;
    }
}
