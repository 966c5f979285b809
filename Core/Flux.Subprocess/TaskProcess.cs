// One task of a job: a native process started with posix_spawn, with its stdio or pty, exit status and signals.
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Flux.Subprocess;

/// <summary>
/// A running (or finished) task process. <see cref="Start"/> spawns it in its own process group
/// (its own session with a pty), with default signal dispositions, an empty signal mask, exactly
/// the given environment and no descriptors beyond 0-2 and <see cref="TaskStartInfo.ExtraFiles"/>.
/// Disposing kills a task that is still running (SIGKILL to its group) and closes our ends of its
/// stdio; <see cref="Exited"/> still completes once it is reaped. Exit and end of output are
/// independent: processes the task started may hold its stdout open after it has exited.
/// </summary>
public sealed unsafe class TaskProcess : IDisposable
{
    private int _disposed;

    private TaskProcess(int pid, Task<int> exited, Socket? stdin, Socket? stdout, Socket? stderr, PtyStream? pty)
    {
        Pid = pid;
        Exited = exited;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        Pty = pty;
    }

    private TaskProcess(int errno, string error)
        : this(0, Task.FromResult(WaitStatus.FromExitStatus(ExitCodeFor(errno))), null, null, null, null)
    {
        StartErrno = errno;
        StartError = error;
    }

    /// <summary>The task's pid, which is also its process group id; 0 when it failed to start.</summary>
    public int Pid { get; }

    /// <summary>
    /// Why the task could not start, ready to follow "task N: start failed: ", for example
    /// "chdir(/nope): No such file or directory" or "hostnam: No such file or directory"; null
    /// when it started. A task that failed to start has no pid and no streams, and its
    /// <see cref="Exited"/> status is exit(127) when something was not found (ENOENT, ENOTDIR),
    /// exit(126) when it was found but not usable (EACCES, EPERM, ENOEXEC), and exit(1) otherwise,
    /// as a shell reports them.
    /// </summary>
    public string? StartError { get; }

    /// <summary>The errno behind <see cref="StartError"/>; 0 when the task started.</summary>
    public int StartErrno { get; }

    /// <summary>The raw wait status once the task has exited and been reaped; see <see cref="WaitStatus"/>.</summary>
    public Task<int> Exited { get; }

    /// <summary>Our end of the task's stdin with <see cref="TaskStdinMode.Socket"/>: shut down sending (or dispose) for end of file.</summary>
    public Socket? Stdin { get; }

    /// <summary>Our end of the task's fd 1; receive until 0 bytes for end of file. Null with a pty or a failed start.</summary>
    public Socket? Stdout { get; }

    /// <summary>Our end of the task's fd 2; receive until 0 bytes for end of file. Null with a pty or a failed start.</summary>
    public Socket? Stderr { get; }

    /// <summary>The pty master with <see cref="TaskStartInfo.Pty"/>: the task's output and input. Null otherwise.</summary>
    public PtyStream? Pty { get; }

    /// <summary>Starts a task. Failures of the task itself are reported through <see cref="StartError"/>, not thrown.</summary>
    /// <exception cref="ArgumentException">The start info is inconsistent or contains NUL characters.</exception>
    public static TaskProcess Start(TaskStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Validate(info);
        using var argv = new NativeStringArray(info.Arguments, nameof(info.Arguments));
        using var envp = new NativeStringArray(info.Environment, nameof(info.Environment));
        var cwd = info.WorkingDirectory;

        // posix_spawn reports a failed chdir and a failed exec with the same errno (and exit 127
        // in the child before glibc 2.24), so the directory is checked first to say which it was.
        if (cwd is not null && CheckDirectory(cwd) is var cwdErrno and not 0)
        {
            return new TaskProcess(cwdErrno, $"chdir({cwd}): {LibC.StrError(cwdErrno)}");
        }
        // Relative paths of the task (PATH entries, the stdin file) are relative to its directory.
        var taskDir = cwd is not null && Path.IsPathRooted(cwd) ? cwd : Path.Join(Directory.GetCurrentDirectory(), cwd);
        var program = info.Arguments[0];
        var (path, searchErrno) = ExecutableSearch.Resolve(program, info.Environment, taskDir);
        if (path is null)
        {
            return new TaskProcess(searchErrno, $"{program}: {LibC.StrError(searchErrno)}");
        }

        var fds = new SpawnDescriptors(3 + info.ExtraFiles.Count + (info.StopInExec ? 1 : 0));
        var gateWrite = -1;
        try
        {
            if (fds.Prepare(info, taskDir) is { } setupError)
            {
                return new TaskProcess(setupError.Errno, setupError.Text);
            }
            byte** spawnArgv = argv.Pointer;
            using var gateArgv = info.StopInExec ? new NativeStringArray(ExecStop.Argv(info.Arguments, 3 + info.ExtraFiles.Count), nameof(info.Arguments)) : null;
            if (info.StopInExec)
            {
                if (ExecStop.CreateGate() is not { } gate)
                {
                    var errno = LibC.Errno;
                    return new TaskProcess(errno, $"pipe2: {LibC.StrError(errno)}");
                }
                gateWrite = gate.Write;
                if (!fds.AddChildExtra(gate.Read))
                {
                    var errno = LibC.Errno;
                    return new TaskProcess(errno, $"dup(stop-in-exec gate): {LibC.StrError(errno)}");
                }
                // sh executes the task's argv once the gate opens (ExecStop).
                path = ExecStop.Shell;
                spawnArgv = gateArgv!.Pointer;
            }
            var (binding, bindErrno) = CpuAffinity.Bind(info.Cpus);
            if (bindErrno != 0)
            {
                return new TaskProcess(bindErrno, $"sched_setaffinity({string.Join(',', info.Cpus!)}): {LibC.StrError(bindErrno)}");
            }
            int pid;
            int rc;
            using (binding)
            {
                rc = Spawn(path, spawnArgv, envp.Pointer, cwd, fds, &pid);
            }
            if (rc != 0)
            {
                // The directory may have changed since it was checked.
                if (cwd is not null && CheckDirectory(cwd) is var lateErrno and not 0)
                {
                    return new TaskProcess(lateErrno, $"chdir({cwd}): {LibC.StrError(lateErrno)}");
                }
                return new TaskProcess(rc, $"{program}: {LibC.StrError(rc)}");
            }
            fds.CloseChildEnds();
            Task<int> exited;
            if (info.StopInExec)
            {
                var write = gateWrite;
                gateWrite = -1;
                int? endedEarly;
                try
                {
                    endedEarly = ExecStop.Run(pid, write, 3 + info.ExtraFiles.Count);
                }
                catch (IOException ex)
                {
                    return new TaskProcess(LibC.EPERM, ex.Message);
                }
                // Watched only once no longer traced: the reaper must not collect a tracer's stop.
                exited = endedEarly is { } status ? Task.FromResult(status) : ChildReaper.Watch(pid);
            }
            else
            {
                exited = ChildReaper.Watch(pid);
            }
            try
            {
                var (stdin, stdout, stderr, pty) = fds.TakeParentEnds();
                return new TaskProcess(pid, exited, stdin, stdout, stderr, pty);
            }
            catch
            {
                // Nobody could ever kill a task whose object was never returned.
                LibC.kill(-pid, LibC.SigKill);
                throw;
            }
        }
        finally
        {
            if (gateWrite >= 0)
            {
                LibC.close(gateWrite);
            }
            fds.Dispose();
        }
    }

    /// <summary>
    /// Sends a signal to the task's process group (signal 0 only checks that it exists). Returns
    /// false, sending nothing, once the task has been reaped (its group id may then belong to
    /// someone else) or if it never started; also false if the group is already gone.
    /// </summary>
    public bool Signal(int signum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signum, 64);
        if (Pid == 0 || Exited.IsCompleted)
        {
            return false;
        }
        if (LibC.kill(-Pid, signum) == 0)
        {
            return true;
        }
        var errno = LibC.Errno;
        if (errno == LibC.ESRCH)
        {
            return false;
        }
        throw new IOException($"kill(-{Pid}, {signum}): {LibC.StrError(errno)}");
    }

    /// <summary>Kills the task's group if the task has not exited yet, and closes our stdio ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (Pid != 0 && !Exited.IsCompleted)
        {
            LibC.kill(-Pid, LibC.SigKill);
        }
        Stdin?.Dispose();
        Stdout?.Dispose();
        Stderr?.Dispose();
        Pty?.Dispose();
    }

    private static void Validate(TaskStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info.Arguments);
        ArgumentNullException.ThrowIfNull(info.Environment);
        ArgumentNullException.ThrowIfNull(info.ExtraFiles);
        if (info.Arguments.Count == 0)
        {
            throw new ArgumentException("a task needs at least argv[0]", nameof(info));
        }
        if (info.Stdin == TaskStdinMode.File && string.IsNullOrEmpty(info.StdinPath))
        {
            throw new ArgumentException("TaskStdinMode.File needs a StdinPath", nameof(info));
        }
        if (info.Pty && info.Stdin != TaskStdinMode.Null)
        {
            throw new ArgumentException("a task on a pty reads its input from the pty", nameof(info));
        }
        if (info.Cpus?.Any(c => c is < 0 or > ushort.MaxValue) == true)
        {
            throw new ArgumentException("a CPU id must be 0-65535", nameof(info));
        }
        if (info.StopInExec && 3 + info.ExtraFiles.Count > ExecStop.MaxGateFd)
        {
            throw new ArgumentException($"a task stopped in exec may have at most {ExecStop.MaxGateFd - 3} extra files (it has {info.ExtraFiles.Count})", nameof(info));
        }
        if (info.PtyRows is < 0 or > ushort.MaxValue || info.PtyColumns is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentException("pty window size out of range", nameof(info));
        }
        foreach (var text in (ReadOnlySpan<string?>)[info.WorkingDirectory, info.StdinPath])
        {
            if (text is not null && text.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("paths cannot contain NUL characters", nameof(info));
            }
        }
    }

    /// <summary>0 if the task could chdir to <paramref name="dir"/>, else the errno chdir would give.</summary>
    private static int CheckDirectory(string dir)
    {
        // O_PATH needs search permission on the components only, as chdir does; O_DIRECTORY gives
        // ENOTDIR for a file; access(X_OK) then checks search permission on the directory itself.
        var fd = LibC.open(dir, LibC.OPath | LibC.ODirectory | LibC.OCloExec);
        if (fd < 0)
        {
            return LibC.Errno;
        }
        LibC.close(fd);
        return LibC.access(dir, LibC.XOk) == 0 ? 0 : LibC.Errno;
    }

    private static int ExitCodeFor(int errno) => errno switch
    {
        LibC.ENOENT or LibC.ENOTDIR => 127,
        LibC.EACCES or LibC.EPERM or LibC.ENOEXEC => 126,
        _ => 1,
    };

    private static int Spawn(string path, byte** argv, byte** envp, string? cwd, SpawnDescriptors fds, int* pid)
    {
        var attr = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        var actions = NativeMemory.AllocZeroed(LibC.FileActionsSize);
        var signals = NativeMemory.AllocZeroed(LibC.SigSetSize);
        try
        {
            // Both only fill in memory (glibc never fails them), and destroying zeroed ones is harmless.
            _ = LibC.posix_spawnattr_init(attr);
            _ = LibC.posix_spawn_file_actions_init(actions);
            // The task leads its own process group (with a pty, its own session, which also makes
            // it a group leader) so that a signal to the group reaches everything it starts.
            // Signal state must not leak from the broker: the .NET runtime ignores SIGPIPE and exec
            // keeps ignored signals ignored, and the spawning thread's mask would be inherited too.
            var flags = (short)(LibC.PosixSpawnSetSigDef | LibC.PosixSpawnSetSigMask
                | (fds.SlavePath is null ? LibC.PosixSpawnSetPgroup : LibC.PosixSpawnSetSid));
            var rc = LibC.posix_spawnattr_setflags(attr, flags);
            if (fds.SlavePath is null)
            {
                rc = rc != 0 ? rc : LibC.posix_spawnattr_setpgroup(attr, 0);
            }
            _ = LibC.sigfillset(signals);
            // glibc's sigfillset leaves out its internal signals 32 and 33, and its spawn helper then
            // sets them to SIG_IGN in the child, which exec keeps; they are ordinary real-time
            // signals to programs not built on glibc. Signal n is bit n-1 of the first word.
            *(ulong*)signals = ulong.MaxValue;
            rc = rc != 0 ? rc : LibC.posix_spawnattr_setsigdefault(attr, signals);
            _ = LibC.sigemptyset(signals);
            rc = rc != 0 ? rc : LibC.posix_spawnattr_setsigmask(attr, signals);
            if (cwd is not null)
            {
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_addchdir_np(actions, cwd);
            }
            if (fds.SlavePath is { } slave)
            {
                // A session leader without a controlling terminal acquires the first terminal it
                // opens without O_NOCTTY: the pty becomes the task's controlling terminal.
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_addopen(actions, 0, slave, LibC.ORdWr, 0);
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_adddup2(actions, 0, 1);
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_adddup2(actions, 0, 2);
            }
            else
            {
                rc = rc != 0 ? rc : fds.ChildStdin < 0
                    ? LibC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", LibC.ORdOnly, 0)
                    : LibC.posix_spawn_file_actions_adddup2(actions, fds.ChildStdin, 0);
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_adddup2(actions, fds.ChildStdout, 1);
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_adddup2(actions, fds.ChildStderr, 2);
            }
            for (var i = 0; i < fds.ChildExtras.Count; i++)
            {
                rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_adddup2(actions, fds.ChildExtras[i], 3 + i);
            }
            // Whatever else the broker has open (even without FD_CLOEXEC) stays out of the task.
            rc = rc != 0 ? rc : LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3 + fds.ChildExtras.Count);
            return rc != 0 ? rc : LibC.posix_spawn(pid, path, actions, attr, argv, envp);
        }
        finally
        {
            _ = LibC.posix_spawn_file_actions_destroy(actions);
            _ = LibC.posix_spawnattr_destroy(attr);
            NativeMemory.Free(signals);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
        }
    }
}
