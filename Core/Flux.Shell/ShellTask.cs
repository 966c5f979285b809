// One task as the shell sees it: the process (Flux.Subprocess.TaskProcess), its output streams, stdin, and
// completion once it has exited and its output is drained.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Flux.Abstractions;
using Flux.Subprocess;

namespace Flux.Shell;

internal sealed class ShellTask : IDisposable
{
    private readonly TaskProcess? _process;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams;

    private ShellTask(int rank, TaskProcess? process, int failedStatus)
    {
        Rank = rank;
        _process = process;
        WaitStatus = failedStatus;
        if (process is null)
        {
            _drained.SetResult();
            return;
        }
        if (process.Pty is { } pty)
        {
            Stdout = pty;
            _openStreams = 1;
        }
        else
        {
            Stdout = new NetworkStream(process.Stdout!, ownsSocket: false);
            Stderr = new NetworkStream(process.Stderr!, ownsSocket: false);
            _openStreams = 2;
        }
    }

    public int Rank { get; }

    public int Pid => _process?.Pid ?? 0;

    public Stream Stdout { get; } = Stream.Null;

    public Stream? Stderr { get; }

    /// <summary>The task's wait status, once it has exited.</summary>
    public int WaitStatus { get; private set; }

    /// <summary>Starts a task; throws <see cref="FluxException"/> with flux-shell's reason when it cannot start.</summary>
    public static ShellTask Start(int rank, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string cwd, string? stdinPath, bool pty, IReadOnlyList<int>? cpus = null, IReadOnlyList<SafeHandle>? extraFiles = null, bool stopInExec = false)
    {
        var info = new TaskStartInfo
        {
            Arguments = argv,
            Environment = [.. env.Select(kv => kv.Key + "=" + kv.Value)],
            WorkingDirectory = cwd,
            Stdin = pty ? TaskStdinMode.Null : stdinPath is not null ? TaskStdinMode.File : TaskStdinMode.Socket,
            StdinPath = stdinPath,
            Pty = pty,
            Cpus = cpus,
            ExtraFiles = extraFiles ?? [],
            StopInExec = stopInExec,
        };
        var p = TaskProcess.Start(info);
        if (p.StartError is { } error)
        {
            var errnum = p.StartErrno;
            p.Dispose();
            throw new FluxException(errnum == 0 ? Errno.ENOENT : errnum, error);
        }
        return new ShellTask(rank, p, 0);
    }

    /// <summary>A task that never started, with the exit code flux-shell gives it (127, or 126).</summary>
    public static ShellTask Failed(int rank, int exitCode) => new(rank, null, (exitCode & 0xff) << 8);

    /// <summary>Waits for exit and the end of its output; returns flux's exit code (128+N for signal N).</summary>
    public async Task<int> CompletedAsync()
    {
        if (_process is not null)
        {
            WaitStatus = await _process.Exited.ConfigureAwait(true);
        }
        await _drained.Task.ConfigureAwait(true);
        return Subprocess.WaitStatus.FluxExitCode(WaitStatus);
    }

    /// <summary>Called by the reader of each output stream at its end.</summary>
    public void StreamClosed()
    {
        if (Interlocked.Decrement(ref _openStreams) <= 0)
        {
            _drained.TrySetResult();
        }
    }

    public void Signal(int signum) => _process?.Signal(signum);

    public async ValueTask WriteStdinAsync(byte[] data)
    {
        if (_process?.Pty is { } pty)
        {
            await pty.WriteAsync(data).ConfigureAwait(true);
        }
        else if (_process?.Stdin is { } s)
        {
            try
            {
                await s.SendAsync(data, SocketFlags.None).ConfigureAwait(true);
            }
            catch (SocketException)
            {
                // The task closed its stdin or exited: input for it is dropped, as a pipe would.
            }
        }
    }

    /// <summary>Sets the window size of the task's terminal; false when it has none (or has exited).</summary>
    public bool Resize(int rows, int columns)
    {
        if (_process?.Pty is not { } pty)
        {
            return false;
        }
        try
        {
            pty.SetWindowSize(rows, columns);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false; // the task exited and its terminal is closed
        }
    }

    public void CloseStdin()
    {
        if (_process?.Pty is { } pty)
        {
            // End of input on a terminal is the EOF character (^D).
            pty.Write([4]);
        }
        else
        {
            try
            {
                _process?.Stdin?.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // Already closed.
            }
        }
    }

    public void Dispose()
    {
        Stdout.Dispose();
        Stderr?.Dispose();
        _process?.Dispose();
    }
}
