// Raw glibc bindings (Linux x86-64, glibc 2.36) for spawning, signalling and reaping task processes.
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

// Kept apart from the object model (TaskProcess, PtyStream) so every unsafe call is visible in one place.
// fcntl, ioctl and open are variadic in C; calling them with a fixed signature is sound on the x86-64
// System V ABI because integer and pointer arguments travel in the same registers either way.
internal static unsafe partial class LibC
{
    private const string Lib = "libc.so.6";

    // <spawn.h> flags as glibc defines them.
    public const short PosixSpawnSetPgroup = 0x02;
    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    // Opaque glibc types are allocated with headroom rather than declared: posix_spawnattr_t is
    // 336 bytes, posix_spawn_file_actions_t 80 and sigset_t 128 on x86-64.
    public const int SpawnAttrSize = 512;
    public const int FileActionsSize = 128;
    public const int SigSetSize = 128;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENOEXEC = 8;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;

    public const int ORdOnly = 0;
    public const int ORdWr = 2;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int ODirectory = 0x10000;
    public const int OCloExec = 0x80000;
    public const int OPath = 0x200000;

    public const int XOk = 1;
    public const int AfUnix = 1;
    public const int SockStream = 1;
    public const int SockCloExec = 0x80000;
    public const int WNoHang = 1;
    public const int SigKill = 9;

    public const int FGetFl = 3;
    public const int FSetFl = 4;
    public const int FDupFdCloExec = 1030;
    public const ulong TiocSWinSz = 0x5414;
    public const ulong TiocGWinSz = 0x5413;

    public const int EpollCloExec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 1u << 31;
    public const int EfdCloExec = 0x80000;
    public const short PollIn = 0x001;
    public const short PollOut = 0x004;

    [StructLayout(LayoutKind.Explicit, Size = 12)]
    public struct EpollEvent
    {
        // struct epoll_event is packed on x86-64: the 64-bit data follows the 32-bit mask directly.
        [FieldOffset(0)] public uint Events;
        [FieldOffset(4)] public ulong Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    // posix_spawn family: these return an error number instead of setting errno.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn(int* pid, string path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* actions, int from);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* set);

    // errno-setting calls.
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int signum);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    // <sys/ptrace.h>: the requests and options of the stop-in-exec tracer (TaskStartInfo.StopInExec).
    public const int PtraceCont = 7;
    public const int PtraceDetach = 17;
    public const int PtraceSeize = 0x4206;
    public const int PtraceOTraceExec = 0x10;
    public const int PtraceOExitKill = 0x100000;
    public const int PtraceEventExec = 4;
    public const int SigTrap = 5;
    public const int SigStop = 19;
    public const int WAll = 0x40000000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long ptrace(int request, int pid, nint addr, nint data);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlockpt(int fd);

    // ptsname_r returns the error number; ptsname itself is not thread-safe.
    [LibraryImport(Lib)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(SafeHandle fd, ulong request, WinSize* size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(SafeHandle fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(SafeHandle fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    // <sys/resource.h>: RLIMIT_NPROC and RLIMIT_NOFILE on Linux; rlim_t is 64 bits, RLIM_INFINITY all ones.
    public const int RlimitNproc = 6;
    public const int RlimitNofile = 7;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getrlimit(int resource, RLimit* limit);

    [LibraryImport(Lib)]
    public static partial uint geteuid();

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string StrError(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
