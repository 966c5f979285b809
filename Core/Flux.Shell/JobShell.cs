// The job shell of one job (run in job-exec or in a shell host process, flux-shell): the lifecycle of
// flux-shell(1) with a plugin stack called at every point, tasks started directly, output to the
// RFC 24 eventlog or files, stdin through the shell service, signals forwarded.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Shell;

/// <summary>
/// Runs one job's tasks through the flux-shell(1) lifecycle and returns the job's exit code. It
/// talks to the broker only through <see cref="IFlux"/>: the job's guest namespace for output and
/// input, and a service named after the job for attach. Work it starts in the background (reading
/// task output, committing it) goes through <see cref="IFlux.Background"/>; when such work fails the
/// shell dies as flux-shell does: the tasks are killed and the run ends with that error.
/// </summary>
public sealed partial class JobShell : IAsyncDisposable
{
    // SIGKILL: a dying shell leaves no task behind.
    private const int KillSignal = 9;

    private readonly IFlux _flux;
    private readonly ShellInfo _info;
    private readonly string _ns;
    private readonly string _fluxUri;
    private readonly ILogger _log;
    private readonly Action<string, JsonObject?> _execEvent;
    private readonly List<ShellTask> _tasks = [];
    private readonly OutputWriter _output;
    private readonly List<IDisposable> _registrations = [];
    private int _maxExitCode;
    private int? _signalled;
    private FluxException? _fatal;
    private readonly bool _loadSearchPath;
    private bool _disposed;

    /// <summary>
    /// A job's shell. With <paramref name="plugins"/> (the host's loader) it loads C# shell plugins:
    /// those on the shell plugin path at start, and any <see cref="PluginLoader"/> is asked for.
    /// </summary>
    public JobShell(IFlux flux, ShellInfo info, string ns, string fluxUri, ILogger log, Action<string, JsonObject?> execEvent, IPluginLoader? plugins = null)
    {
        _flux = flux;
        _info = info;
        _ns = ns;
        _fluxUri = fluxUri;
        _log = log;
        _execEvent = execEvent;
        _output = new OutputWriter(flux, info, ns, ex => Die("committing output", ex));
        _loadSearchPath = plugins is not null;
        Api = new PluginView(this);
        PluginLoader = new ShellPluginLoader(Api, plugins, Plugins, ReportPluginError);
    }

    /// <summary>The builtin shell plugins this shell constructs for its job (the installed ones unless a test says otherwise).</summary>
    internal IReadOnlyList<(string Name, Type Type)>? BuiltinTypes { get; init; }

    internal ShellPluginStack Plugins { get; } = new();

    /// <summary>
    /// The broker attributes the initrc step reads, as the one who started this shell read them for the job
    /// (job-exec, for a shell host); null: the shell asks the broker for them.
    /// </summary>
    public ShellAttributes? Attributes { get; init; }

    /// <summary>The process ids (each its own process group) of the tasks started so far.</summary>
    public IReadOnlyList<int> TaskPids => [.. _tasks.Where(t => t.Pid != 0).Select(t => t.Pid)];

    /// <summary>
    /// Runs the job's tasks to completion; returns the shell's exit code (largest task exit code,
    /// 128+N for signal N). Throws when the shell cannot run the job or dies on the way.
    /// </summary>
    public async Task<int> RunAsync(Action onStarted)
    {
        CheckCapacity();
        // As flux-core's shell, the task map comes first: a taskmap option that cannot apply fails the job here.
        _ = _info.Map;
        var args = new JsonObject { ["jobid"] = _info.Id, ["rank"] = 0, ["size"] = 1, ["ntasks"] = _info.NTasks };
        _output.Open();
        // The round trips to the broker that shell.init waits for go out together and run while the
        // plugins load and the initrc runs: the output log's header, the shell's service, the two
        // attributes the initrc step reads (unless they came with the job). One after another they
        // were most of a job's start-up.
        var header = _output.FlushAsync();
        var attributes = Attributes is { } known ? Task.FromResult(known) : ShellAttributes.ReadAsync(_flux);
        LoadPlugins(BuiltinTypes ?? BuiltinShellPlugins.Types);
        await CallAsync("shell.connect", args).ConfigureAwait(true);
        var service = RegisterServiceAsync();
        try
        {
            await RunInitrcAsync(attributes).ConfigureAwait(true);
            await service.ConfigureAwait(true);
            await header.ConfigureAwait(true);
            await CallAsync("shell.init", args).ConfigureAwait(true);
            var cwd = _info.Cwd;
            if (!Directory.Exists(cwd))
            {
                // As flux-shell does: warn and run in /tmp rather than fail the job.
                _output.Log(4, $"Could not change dir to {cwd}: No such file or directory. Going to /tmp instead");
                cwd = "/tmp";
            }
            await CallAsync("shell.post-init", args).ConfigureAwait(true);
            // As flux-core's shell: the output eventlog exists before the init barrier (shell.init), so a
            // client that follows a started job's output (flux job wait-event -p output) finds it.
            await _output.FlushAsync().ConfigureAwait(true);
            _execEvent("shell.init", new JsonObject { ["service"] = _info.Service, ["leader-rank"] = 0, ["size"] = 1 });
            for (var rank = 0; rank < _info.NTasks; rank++)
            {
                var taskArgs = new JsonObject { ["rank"] = rank, ["localid"] = rank };
                var pluginTask = _current = NewTask(rank, cwd);
                await CallAsync("task.init", taskArgs).ConfigureAwait(true);
                await CallAsync("task.exec", taskArgs).ConfigureAwait(true);
                var task = Start(pluginTask);
                _tasks.Add(task);
                if (_signalled is int pending)
                {
                    // Signalled while the tasks were starting (a time limit or a cancel that came first).
                    task.Signal(pending);
                }
                pluginTask.Attach(task);
                taskArgs["pid"] = task.Pid;
                await CallAsync("task.fork", taskArgs).ConfigureAwait(true);
                _current = null;
            }
            ThrowIfDied();
            await CallAsync("shell.start", args).ConfigureAwait(true);
            var started = new JsonObject { ["taskmap"] = new JsonObject { ["version"] = 1, ["map"] = _info.TaskMap() } };
            if (StopTasksInExec)
            {
                // As flux-core's ptrace builtin: every task is stopped in exec, a debugger may attach (flux job attach --debug).
                started["sync"] = true;
            }
            _execEvent("shell.start", started);
            onStarted();
            // task.exit in the order the tasks exit: exit-timeout starts at the first one.
            var running = _tasks.Select((t, i) => (Done: t.CompletedAsync(), Index: i)).ToList();
            while (running.Count > 0)
            {
                var done = await Task.WhenAny(running.Select(r => r.Done)).ConfigureAwait(true);
                // One entry only: tasks that finished synchronously with the same code may share one cached Task.
                var entry = running.First(r => r.Done == done);
                running.Remove(entry);
                var i = entry.Index;
                var t = _tasks[i];
                var code = await done.ConfigureAwait(true);
                _maxExitCode = Math.Max(_maxExitCode, code);
                _current = _pluginTasks[i];
                _current.Exited(t.WaitStatus, code);
                await CallAsync("task.exit", new JsonObject { ["rank"] = t.Rank, ["exitcode"] = code, ["wait_status"] = t.WaitStatus }).ConfigureAwait(true);
                _current = null;
            }
            ThrowIfDied();
            await CallAsync("shell.tasks-complete", args).ConfigureAwait(true);
            await CallAsync("shell.finish", args).ConfigureAwait(true);
        }
        finally
        {
            foreach (var r in _registrations)
            {
                r.Dispose();
            }
            // The service goes while the last output is committed (neither waits for the other).
            var removed = RemoveServiceAsync();
            await _output.DisposeAsync().ConfigureAwait(true);
            await removed.ConfigureAwait(true);
            await CallAsync("shell.exit", args).ConfigureAwait(true);
            // The plugins' load contexts go with DisposeAsync (disposing the loader twice would throw).
            DisposeRc();
        }
        return _maxExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        DisposeRc();
        await _output.DisposeAsync().ConfigureAwait(true);
        foreach (var t in _tasks)
        {
            t.Dispose();
        }
        PluginLoader.Dispose();
    }

    /// <summary>Sends a signal to every task (its process group).</summary>
    public void Kill(int signum)
    {
        // Kept for the tasks not started yet: a signal must not be lost because it came early.
        _signalled = signum;
        foreach (var t in _tasks)
        {
            t.Signal(signum);
        }
    }

    /// <summary>
    /// <c>-o stop-tasks-in-exec</c> (flux-core's ptrace builtin): true or an integer above 0 stops each task on
    /// the first instruction of its program, SIGSTOPped, until a debugger or SIGCONT (flux job kill -s CONT,
    /// flux job attach --debug) lets it go. .NET cannot call ptrace(PTRACE_TRACEME) in a forked child, so the
    /// shell core does it where it spawns the task (Flux.Subprocess.ExecStop), not a plugin.
    /// </summary>
    private bool StopTasksInExec => _info.Option("stop-tasks-in-exec") is JsonValue v
        && (v.GetValueKind() == System.Text.Json.JsonValueKind.True
            || (v.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n > 0));

    /// <summary>Refuses a job whose tasks this node cannot hold, before anything is started for it.</summary>
    private void CheckCapacity()
    {
        _ptyRanks = PtyRanks();
        // Counted as every task on a pty only when they all are: a task without one needs three descriptors.
        TaskCapacity.Check(_info.NTasks, _ptyRanks is { IsEmpty: true }, Subprocess.ProcessLimits.Current(), Subprocess.ProcessLimits.OpenFiles);
    }

    // The task ranks that run on a pty (empty: all of them); null: none.
    private Flux.Formats.IdSet? _ptyRanks;

    /// <summary>
    /// The pty option (flux-shell-options(7)) as flux-core's pty builtin reads it: a flag (<c>-o pty</c>,
    /// <c>flux run --pty</c>) puts every task on a pty with its output captured; the object form puts task
    /// rank 0, or <c>pty.ranks</c> ("all", a rank or an idset), on one; <c>pty.capture</c> is what it does
    /// anyway (the output goes to the output eventlog as stdout). <c>pty.interactive</c> (the terminus
    /// protocol of flux job attach) is not served, so a job asking for it fails rather than run without it.
    /// The pty is opened by the shell core where it spawns the task (Flux.Subprocess), not by a plugin: the
    /// plugin contract has no primitive for a task's terminal.
    /// </summary>
    private Flux.Formats.IdSet? PtyRanks()
    {
        var pty = _info.Option("pty");
        if (pty is not System.Text.Json.Nodes.JsonObject o)
        {
            return _info.Flag("pty") ? Flux.Formats.IdSet.Empty : null;
        }
        if (o.ContainsKey("interactive"))
        {
            throw new FluxException(Errno.EINVAL, "pty.interactive: " + ShellOptions.PtyInteractiveNotYet);
        }
        if (!o.TryGetPropertyValue("ranks", out var ranks))
        {
            return Flux.Formats.IdSet.Parse("0");
        }
        return ShellOptions.PtyRanks(ranks)
            ?? throw new FluxException(Errno.EINVAL, $"pty.ranks: invalid value {ranks?.ToJsonString() ?? "null"} (expected \"all\", a task rank or an idset of task ranks)");
    }

    private bool PtyFor(int rank) => _ptyRanks is { } set && (set.IsEmpty || set.Contains((uint)rank));

    private ShellTask Start(PluginTask spec)
    {
        var rank = spec.Rank;
        var stdin = _info.Option("input.stdin.type")?.GetValue<string>() == "file"
            ? _info.Option("input.stdin.path")?.GetValue<string>()
            : null;
        var pty = PtyFor(rank);
        ShellTask task;
        try
        {
            task = ShellTask.Start(rank, spec.Argv, spec.Environment, spec.Cwd, stdin, pty, spec.Cpus, spec.ExtraFiles, StopTasksInExec);
        }
        catch (FluxException ex)
        {
            // flux-shell reports a task that cannot start and gives it exit code 127 (126: not executable).
            _output.Log(3, $"task {rank}: start failed: {ex.Message}", rank);
            _output.Eof("stdout", rank);
            _output.Eof("stderr", rank);
            return ShellTask.Failed(rank, ex.Errnum == Errno.EACCES ? 126 : 127);
        }
        Pump(task, "stdout", task.Stdout, !pty && _output.StdoutLineBuffered);
        if (task.Stderr is not null)
        {
            Pump(task, "stderr", task.Stderr, false);
        }
        else
        {
            _output.Eof("stderr", rank);
        }
        return task;
    }

    /// <summary>
    /// Reads one task stream in the background. If reading fails, the stream counts as ended (so the
    /// task can complete) and the shell dies: nothing else would ever tell the job.
    /// </summary>
    private void Pump(ShellTask task, string stream, Stream source, bool lineBuffered) =>
        _flux.Background(PumpAsync(task, stream, source, lineBuffered), $"job {_info.Id}: reading task {task.Rank}'s {stream}", onFault: ex =>
        {
            EndOfStream(task, stream);
            Die($"reading task {task.Rank}'s {stream}", ex);
        });

    /// <summary>
    /// The shell's background work failed: as flux-shell's shell_die, kill the tasks, and end the run
    /// with the first such error (<see cref="ThrowIfDied"/>) rather than wait for them as usual.
    /// </summary>
    private void Die(string what, Exception ex)
    {
        _fatal ??= new FluxException(Errno.EIO, $"{what} failed: {ex.Message}", ex);
        Kill(KillSignal);
    }

    private void ThrowIfDied()
    {
        if (_fatal is { } fatal)
        {
            throw fatal;
        }
    }

    /// <summary>Copies one task stream into the output; stdout whole lines at a time when line-buffered.</summary>
    private async Task PumpAsync(ShellTask task, string stream, Stream source, bool lineBuffered)
    {
        var buf = new byte[64 * 1024];
        var pending = new MemoryStream();
        try
        {
            while (true)
            {
                var n = await source.ReadAsync(buf).ConfigureAwait(true);
                if (n == 0)
                {
                    break;
                }
                if (!lineBuffered)
                {
                    _output.Data(stream, task.Rank, buf.AsSpan(0, n));
                    continue;
                }
                var lastNl = buf.AsSpan(0, n).LastIndexOf((byte)'\n');
                if (lastNl < 0)
                {
                    pending.Write(buf, 0, n);
                    continue;
                }
                pending.Write(buf, 0, lastNl + 1);
                _output.Data(stream, task.Rank, pending.GetBuffer().AsSpan(0, (int)pending.Length));
                pending.SetLength(0);
                pending.Write(buf, lastNl + 1, n - lastNl - 1);
            }
        }
        catch (IOException)
        {
            // A pty reports EIO once the task side closes: the normal end of its output.
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            // The run ended early (it failed) and the shell closed the task's streams under this read.
        }
        if (pending.Length > 0)
        {
            _output.Data(stream, task.Rank, pending.GetBuffer().AsSpan(0, (int)pending.Length));
        }
        EndOfStream(task, stream);
    }

    private void EndOfStream(ShellTask task, string stream)
    {
        _output.Eof(stream, task.Rank);
        task.StreamClosed();
    }
}
