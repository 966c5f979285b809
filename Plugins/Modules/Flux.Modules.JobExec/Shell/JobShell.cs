// The job shell, run in-process by job-exec for each job (a per-node shell host): the lifecycle of
// flux-shell(1) with a plugin stack called at every point, tasks started directly, output to the
// RFC 24 eventlog or files, stdin through the shell service, signals forwarded.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobExec.Shell;

internal sealed class JobShell : IAsyncDisposable
{
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

    public JobShell(IFlux flux, ShellInfo info, string ns, string fluxUri, ILogger log, Action<string, JsonObject?> execEvent)
    {
        _flux = flux;
        _info = info;
        _ns = ns;
        _fluxUri = fluxUri;
        _log = log;
        _execEvent = execEvent;
        _output = new OutputWriter(flux, info, ns);
    }

    public ShellPluginStack Plugins { get; } = new();

    /// <summary>
    /// <c>[exec] job-shell</c>: runs another shell executable as <c>SHELL JOBID</c> with FLUX_URI,
    /// FLUX_JOB_ID and FLUX_KVS_NAMESPACE set, in the job's directory; what it prints is the job's
    /// output (as rank 0) and its exit code is the job's.
    /// </summary>
    public async Task<int> RunExternalAsync(string shellPath, Action onStarted)
    {
        _output.Open();
        var env = new Dictionary<string, string>(_info.Environment, StringComparer.Ordinal)
        {
            ["FLUX_URI"] = _fluxUri,
            ["FLUX_JOB_ID"] = _info.Id.ToString(CultureInfo.InvariantCulture),
            ["FLUX_KVS_NAMESPACE"] = _ns,
        };
        _execEvent("shell.init", new JsonObject { ["service"] = _info.Service, ["leader-rank"] = 0, ["size"] = 1 });
        ShellTask task;
        try
        {
            task = ShellTask.Start(0, [shellPath, _info.Id.ToString(CultureInfo.InvariantCulture)], env, Directory.Exists(_info.Cwd) ? _info.Cwd : "/tmp", null, false);
        }
        catch (FluxException ex)
        {
            _output.Log(3, $"job shell {shellPath}: start failed: {ex.Message}");
            await _output.DisposeAsync().ConfigureAwait(true);
            return ex.Errnum == Errno.EACCES ? 126 : 127;
        }
        _tasks.Add(task);
        task.CloseStdin();
        _ = PumpAsync(task, "stdout", task.Stdout, true);
        _ = PumpAsync(task, "stderr", task.Stderr!, false);
        for (var rank = 1; rank < _info.NTasks; rank++)
        {
            _output.Eof("stdout", rank);
            _output.Eof("stderr", rank);
        }
        _execEvent("shell.start", new JsonObject { ["taskmap"] = new JsonObject { ["version"] = 1, ["map"] = _info.TaskMap() } });
        onStarted();
        var code = await task.CompletedAsync().ConfigureAwait(true);
        await _output.DisposeAsync().ConfigureAwait(true);
        return code;
    }

    /// <summary>Runs the job's tasks to completion; returns the shell's exit code (largest task exit code, 128+N for signal N).</summary>
    public async Task<int> RunAsync(Action onStarted)
    {
        var args = new JsonObject { ["jobid"] = _info.Id, ["rank"] = 0, ["size"] = 1, ["ntasks"] = _info.NTasks };
        await CallAsync("shell.connect", args).ConfigureAwait(true);
        _output.Open();
        await RegisterServiceAsync().ConfigureAwait(true);
        try
        {
            if (await Plugins.CallAsync("shell.init", args).ConfigureAwait(true) is { } failed)
            {
                _output.Log(2, $"plugin '{failed}': shell.init failed");
                return 1;
            }
            var cwd = _info.Cwd;
            if (!Directory.Exists(cwd))
            {
                // As flux-shell does: warn and run in /tmp rather than fail the job.
                _output.Log(4, $"Could not change dir to {cwd}: No such file or directory. Going to /tmp instead");
                cwd = "/tmp";
            }
            await CallAsync("shell.post-init", args).ConfigureAwait(true);
            _execEvent("shell.init", new JsonObject { ["service"] = _info.Service, ["leader-rank"] = 0, ["size"] = 1 });
            for (var rank = 0; rank < _info.NTasks; rank++)
            {
                var taskArgs = new JsonObject { ["rank"] = rank, ["localid"] = rank };
                await CallAsync("task.init", taskArgs).ConfigureAwait(true);
                await CallAsync("task.exec", taskArgs).ConfigureAwait(true);
                var task = Start(rank, cwd);
                _tasks.Add(task);
                taskArgs["pid"] = task.Pid;
                await CallAsync("task.fork", taskArgs).ConfigureAwait(true);
            }
            await CallAsync("shell.start", args).ConfigureAwait(true);
            _execEvent("shell.start", new JsonObject { ["taskmap"] = new JsonObject { ["version"] = 1, ["map"] = _info.TaskMap() } });
            onStarted();
            foreach (var t in _tasks)
            {
                var code = await t.CompletedAsync().ConfigureAwait(true);
                _maxExitCode = Math.Max(_maxExitCode, code);
                await CallAsync("task.exit", new JsonObject { ["rank"] = t.Rank, ["exitcode"] = code, ["wait_status"] = t.WaitStatus }).ConfigureAwait(true);
            }
            await CallAsync("shell.tasks-complete", args).ConfigureAwait(true);
            await CallAsync("shell.finish", args).ConfigureAwait(true);
        }
        finally
        {
            foreach (var r in _registrations)
            {
                r.Dispose();
            }
            try
            {
                await _flux.RemoveServiceAsync(_info.Service, CancellationToken.None).ConfigureAwait(true);
            }
            catch (FluxException)
            {
                // Already gone with the broker.
            }
            await _output.DisposeAsync().ConfigureAwait(true);
            await CallAsync("shell.exit", args).ConfigureAwait(true);
        }
        return _maxExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _output.DisposeAsync().ConfigureAwait(true);
        foreach (var t in _tasks)
        {
            t.Dispose();
        }
    }

    /// <summary>Sends a signal to every task (its process group).</summary>
    public void Kill(int signum)
    {
        foreach (var t in _tasks)
        {
            t.Signal(signum);
        }
    }

    private async ValueTask CallAsync(string topic, JsonObject args)
    {
        if (await Plugins.CallAsync(topic, args).ConfigureAwait(true) is { } plugin)
        {
            _log.LogWarning("job-exec: job {Id}: plugin {Plugin} failed in {Topic}", _info.Id, plugin, topic);
        }
    }

    private ShellTask Start(int rank, string cwd)
    {
        var env = new Dictionary<string, string>(_info.Environment, StringComparer.Ordinal)
        {
            ["FLUX_JOB_ID"] = _info.Id.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_SIZE"] = _info.NTasks.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_NNODES"] = _info.NNodes.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_TMPDIR"] = Path.GetTempPath(),
            ["FLUX_TASK_RANK"] = rank.ToString(CultureInfo.InvariantCulture),
            ["FLUX_TASK_LOCAL_ID"] = rank.ToString(CultureInfo.InvariantCulture),
            ["FLUX_URI"] = _fluxUri,
            ["FLUX_KVS_NAMESPACE"] = _ns,
            ["FLUX_JOB_CC"] = _info.Environment.TryGetValue("FLUX_JOB_CC", out var cc) ? cc : string.Empty,
        };
        if (env["FLUX_JOB_CC"].Length == 0)
        {
            env.Remove("FLUX_JOB_CC");
        }
        var stdin = _info.Option("input.stdin.type")?.GetValue<string>() == "file"
            ? _info.Option("input.stdin.path")?.GetValue<string>()
            : null;
        var pty = _info.Flag("pty");
        ShellTask task;
        try
        {
            task = ShellTask.Start(rank, _info.Command, env, cwd, stdin, pty);
        }
        catch (FluxException ex)
        {
            // flux-shell reports a task that cannot start and gives it exit code 127 (126: not executable).
            _output.Log(3, $"task {rank}: start failed: {ex.Message}", rank);
            _output.Eof("stdout", rank);
            _output.Eof("stderr", rank);
            return ShellTask.Failed(rank, ex.Errnum == Errno.EACCES ? 126 : 127);
        }
        _ = PumpAsync(task, "stdout", task.Stdout, pty || !_output.StdoutLineBuffered ? false : true);
        if (task.Stderr is not null)
        {
            _ = PumpAsync(task, "stderr", task.Stderr, false);
        }
        else
        {
            _output.Eof("stderr", rank);
        }
        return task;
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
        if (pending.Length > 0)
        {
            _output.Data(stream, task.Rank, pending.GetBuffer().AsSpan(0, (int)pending.Length));
        }
        _output.Eof(stream, task.Rank);
        task.StreamClosed();
    }

    private async Task RegisterServiceAsync()
    {
        _registrations.Add(_flux.RegisterHandler(MessageType.Request, _info.Service + ".stdin", OnStdin, FluxRole.User));
        _registrations.Add(_flux.RegisterHandler(MessageType.Request, _info.Service + ".pty-resize", OnPtyResize, FluxRole.User));
        await _flux.AddServiceAsync(_info.Service).ConfigureAwait(true);
    }

    /// <summary>
    /// The attached terminal's size, {rows, columns, rank?: "all"|RANKS}: the terminals of the tasks
    /// that run on one get it (their programs see SIGWINCH). ENOTTY when no task has a terminal.
    /// </summary>
    private ValueTask OnPtyResize(Message msg)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != _info.UserId)
        {
            throw new FluxException(Errno.EPERM, "only the job's owner may resize its terminal");
        }
        var req = msg.GetJson();
        var rows = req["rows"]?.GetValue<int>() ?? -1;
        var columns = req["columns"]?.GetValue<int>() ?? -1;
        if (rows is < 1 or > ushort.MaxValue || columns is < 1 or > ushort.MaxValue)
        {
            throw new FluxException(Errno.EINVAL, $"pty-resize: rows and columns must be 1-{ushort.MaxValue} (got {rows}x{columns})");
        }
        var rank = req["rank"]?.GetValue<string>() ?? "all";
        var targets = rank == "all" ? _tasks : [.. _tasks.Where(t => Flux.Formats.IdSet.Parse(rank).Contains((uint)t.Rank))];
        var resized = 0;
        foreach (var t in targets)
        {
            resized += t.Resize(rows, columns) ? 1 : 0;
        }
        if (resized == 0)
        {
            throw new FluxException(Errno.ENOTTY, "pty-resize: no task of this job runs on a terminal");
        }
        _flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    /// <summary>Input from attach: {stream:"stdin", rank:"all"|RANKS, data, encoding?, eof?}.</summary>
    private async ValueTask OnStdin(Message msg)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != _info.UserId)
        {
            throw new FluxException(Errno.EPERM, "only the job's owner may write to its stdin");
        }
        var req = msg.GetJson();
        var rank = req["rank"]?.GetValue<string>() ?? "all";
        _output.Input(req);
        var targets = rank == "all" ? _tasks : [.. _tasks.Where(t => Flux.Formats.IdSet.Parse(rank).Contains((uint)t.Rank))];
        if (req["data"]?.GetValue<string>() is { } data)
        {
            var bytes = req["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(data);
            foreach (var t in targets)
            {
                await t.WriteStdinAsync(bytes).ConfigureAwait(true);
            }
        }
        if (req["eof"]?.GetValue<bool>() == true)
        {
            foreach (var t in targets)
            {
                t.CloseStdin();
            }
        }
        _flux.Respond(msg);
    }
}
