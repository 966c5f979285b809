// One task as shell plugins see it: what it will start with (argv, cwd, environment, CPUs) until it
// starts, then its pid and, once it has exited, its status.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Shell;

internal sealed class PluginTask(int rank, int localId, IReadOnlyList<string> argv, string cwd, Dictionary<string, string> env) : IShellTask
{
    private IReadOnlyList<string> _argv = argv;
    private string _cwd = cwd;
    private IReadOnlyList<int>? _cpus;
    private ShellTask? _task;

    public int Rank => rank;

    public int LocalId => localId;

    public bool Started => _task is not null;

    public int Pid => _task?.Pid ?? 0;

    public int? WaitStatus { get; private set; }

    public int? ExitCode { get; private set; }

    public JsonObject Info => new()
    {
        ["localid"] = localId,
        ["rank"] = rank,
        ["state"] = ExitCode is not null ? "Exited" : Started ? "Running" : "Init",
        ["pid"] = Pid,
        ["wait_status"] = WaitStatus ?? 0,
        ["exitcode"] = ExitCode ?? 0,
        ["signaled"] = WaitStatus is { } ws && Subprocess.WaitStatus.IsSignaled(ws) ? Subprocess.WaitStatus.TermSignal(ws) : 0,
    };

    public IReadOnlyList<string> Argv
    {
        get => _argv;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new FluxException(Errno.EINVAL, $"task {rank}: argv cannot be empty");
            }
            ThrowIfStarted("argv");
            _argv = [.. value];
        }
    }

    public string Cwd
    {
        get => _cwd;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            ThrowIfStarted("cwd");
            _cwd = value;
        }
    }

    public IReadOnlyList<int>? Cpus
    {
        get => _cpus;
        set
        {
            ThrowIfStarted("cpus");
            if (value?.FirstOrDefault(c => c < 0) is < 0)
            {
                throw new FluxException(Errno.EINVAL, $"task {rank}: a CPU id cannot be negative");
            }
            _cpus = value is null ? null : [.. value];
        }
    }

    public IReadOnlyDictionary<string, string> Environment => env;

    public string? GetEnv(string name) => env.GetValueOrDefault(name);

    public void SetEnv(string name, string value, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        ThrowIfStarted("environment");
        if (overwrite || !env.ContainsKey(name))
        {
            env[name] = value;
        }
    }

    public void UnsetEnv(string name)
    {
        ThrowIfStarted("environment");
        env.Remove(name);
    }

    public void Kill(int signum) => _task?.Signal(signum);

    /// <summary>The task has been started (or failed to start): from now on it is read-only.</summary>
    public void Attach(ShellTask task) => _task = task;

    /// <summary>The task has exited with a wait status and an exit code.</summary>
    public void Exited(int waitStatus, int exitCode)
    {
        WaitStatus = waitStatus;
        ExitCode = exitCode;
    }

    private void ThrowIfStarted(string what)
    {
        if (Started)
        {
            throw new FluxException(Errno.EINVAL, $"task {rank}: its {what} cannot change once it has started (only in task.init and task.exec)");
        }
    }
}
