// The initial program (rc2): started so that it is signalled when the broker dies, even by kill -9.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Flux.Core.Broker;

/// <summary>
/// Runs the initial program. The program is started through <c>setpriv --pdeathsig HUP</c>, which
/// sets PR_SET_PDEATHSIG in the child and then execs the program (same pid): when the broker
/// process dies, however it dies, the kernel sends the program SIGHUP, the signal the broker sends
/// it at a normal shutdown. The kernel ties that signal to the thread that forked the child, so
/// the child is started from a thread of its own that lives until the program exits (a pool thread
/// that retired would signal the program early). Without setpriv the program runs unguarded.
/// Signals the broker was started ignoring (under <c>nohup</c>, or from a shell's background job)
/// would stay ignored across exec, so the program could never be stopped by the SIGHUP above or by
/// Ctrl-C: as flux-core's subprocess library does, the program starts with every signal at its
/// default, through coreutils' <c>env --default-signal</c> (only added when something is ignored,
/// which is always the case for SIGPIPE: the .NET runtime ignores it, and a child it starts keeps that).
/// </summary>
internal sealed partial class InitialProgram
{
    private const string Guard = "setpriv";
    private static readonly string[] GuardArgs = ["--pdeathsig", "HUP", "--"];
    private const string Reset = "env";
    private static readonly string[] ResetArgs = ["--default-signal"];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InitialProgram(int pid)
    {
        Pid = pid;
    }

    /// <summary>The program's pid.</summary>
    public int Pid { get; }

    /// <summary>Completes with the exit code (128+N when killed by signal N).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// Starts <paramref name="argv"/> with the environment changes <paramref name="env"/> (PATH among
    /// them is also where the program is looked up). Throws <see cref="System.ComponentModel.Win32Exception"/>
    /// with ENOENT or EACCES, saying so as a shell would, when it cannot be run.
    /// </summary>
    public static InitialProgram Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env)
    {
        var path = env.TryGetValue("PATH", out var p) ? p : Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        var program = Find(argv[0], path) ?? throw new System.ComponentModel.Win32Exception(
            NotFoundErrno, argv[0].Contains('/', StringComparison.Ordinal) ? $"{argv[0]}: No such file or directory" : $"{argv[0]}: command not found");
        if (access(program, 1) != 0)
        {
            throw new System.ComponentModel.Win32Exception(13, $"{argv[0]}: Permission denied");
        }
        var guard = Find(Guard, path);
        var reset = IgnoredSignals() != 0 ? Find(Reset, path) : null;
        var psi = new ProcessStartInfo(guard ?? reset ?? program) { UseShellExecute = false };
        if (guard is not null)
        {
            foreach (var a in GuardArgs)
            {
                psi.ArgumentList.Add(a);
            }
            if (reset is not null)
            {
                psi.ArgumentList.Add(reset);
            }
        }
        if (reset is not null)
        {
            foreach (var a in ResetArgs)
            {
                psi.ArgumentList.Add(a);
            }
        }
        if (guard is not null || reset is not null)
        {
            // setpriv and env look the name up on the same PATH, so the program keeps the argv[0] it was given.
            psi.ArgumentList.Add(argv[0]);
        }
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var started = new TaskCompletionSource<InitialProgram>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(psi, started)) { IsBackground = true, Name = "initial program" };
        thread.Start();
        return started.Task.GetAwaiter().GetResult();
    }

    /// <summary>The errno of a program that cannot be found.</summary>
    public const int NotFoundErrno = 2;

    /// <summary>Sends a signal to the program (ignored once it has exited).</summary>
    public void Signal(int signum)
    {
        if (!_exited.Task.IsCompleted)
        {
            _ = kill(Pid, signum);
        }
    }

    private static void Run(ProcessStartInfo psi, TaskCompletionSource<InitialProgram> started)
    {
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            started.SetException(ex);
            return;
        }
        using (process)
        {
            var program = new InitialProgram(process.Id);
            started.SetResult(program);
            process.WaitForExit();
            program._exited.SetResult(process.ExitCode);
        }
    }

    /// <summary>The mask of signals this process ignores (SigIgn of /proc/self/status; bit N-1 for signal N), 0 if unknown.</summary>
    internal static ulong IgnoredSignals()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    return ulong.Parse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // No procfs: nothing known to reset.
        }
        return 0;
    }

    // The program as a shell would find it: a name with a slash as given, else the first file of
    // that name on PATH.
    private static string? Find(string name, string path)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }
        string? found = null;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                if (access(candidate, 1) == 0)
                {
                    return candidate;
                }
                found ??= candidate;
            }
        }
        return found;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access(string path, int mode);
}
