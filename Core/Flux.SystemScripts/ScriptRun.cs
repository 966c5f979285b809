// One run of a ScriptCommand: each script in its own process group, output by lines, a signal for the running one.
using System.Net.Sockets;
using Flux.Subprocess;

namespace Flux.SystemScripts;

/// <summary>
/// A running prolog, epilog or housekeeping command. <see cref="Completion"/> gives its raw wait
/// status (see <see cref="WaitStatus"/>): the command's own, or for the system scripts an exit with
/// the run's exit code (the site's single script's own status when it ran, as with <c>exec</c>).
/// <see cref="Signal"/> signals the process group of the script running now and starts no more;
/// the run then ends with that script's status. Disposing kills what still runs (SIGKILL).
/// Output lines and start failures go to the output callback, from a pool thread.
/// </summary>
public sealed class ScriptRun : IDisposable
{
    private const int SigKill = 9;
    private readonly Lock _gate = new();
    private readonly Action<string, string> _output;
    private TaskProcess? _current;
    private int _signaled;
    private bool _disposed;

    private ScriptRun(Action<string, string> output) => _output = output;

    /// <summary>The run's raw wait status once every script it runs has exited and its output ended.</summary>
    public Task<int> Completion { get; private set; } = Task.FromResult(0);

    /// <summary>Starts a run with exactly <paramref name="environment"/> ("NAME=value"); <paramref name="output"/> gets (stream, line).</summary>
    public static ScriptRun Start(ScriptCommand command, IReadOnlyList<string> environment, Action<string, string> output)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        var run = new ScriptRun(output);
        if (command.Argv is { } argv)
        {
            run.Completion = run.RunAsync(new List<IReadOnlyList<string>> { argv }, environment, exitOnFirstError: false, lastReplaces: true, single: true);
        }
        else
        {
            var listing = command.Locations.List(command.Kind);
            var steps = listing.RunOrder.Select(s => (IReadOnlyList<string>)[s.Path]).ToList();
            run.Completion = run.RunAsync(steps, environment, command.ExitOnFirstError, listing.UsesLegacy, single: false);
        }
        return run;
    }

    /// <summary>Signals the running script's process group and stops the sequence; false when nothing runs any more.</summary>
    public bool Signal(int signum)
    {
        lock (_gate)
        {
            _signaled = signum;
            return _current is { } p && p.Signal(signum);
        }
    }

    /// <summary>Kills the running script (SIGKILL to its group) and starts no more.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _signaled = SigKill;
            _current?.Dispose();
        }
    }

    private async Task<int> RunAsync(List<IReadOnlyList<string>> steps, IReadOnlyList<string> environment, bool exitOnFirstError, bool lastReplaces, bool single)
    {
        var worst = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            TaskProcess p;
            lock (_gate)
            {
                if (_signaled != 0)
                {
                    return _signaled;
                }
                p = TaskProcess.Start(new TaskStartInfo { Arguments = steps[i], Environment = environment });
                _current = p;
                if (_disposed)
                {
                    p.Dispose();
                }
            }
            int status;
            try
            {
                if (p.StartError is { } error)
                {
                    _output("stderr", error);
                }
                var pumps = Task.WhenAll(Pump(p.Stdout, "stdout"), Pump(p.Stderr, "stderr"));
                status = await p.Exited.ConfigureAwait(false);
                await pumps.ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _current = null;
                    p.Dispose();
                }
            }
            if (single || (lastReplaces && i == steps.Count - 1))
            {
                return status;
            }
            var code = WaitStatus.FluxExitCode(status);
            if (code != 0)
            {
                _output("stderr", $"{Path.GetFileName(steps[i][0])}: exit {code}");
            }
            lock (_gate)
            {
                if (_signaled != 0)
                {
                    return status;
                }
            }
            if (code != 0 && exitOnFirstError)
            {
                return WaitStatus.FromExitStatus(code);
            }
            worst = Math.Max(worst, code);
        }
        return WaitStatus.FromExitStatus(worst);
    }

    private async Task Pump(Socket? socket, string stream)
    {
        if (socket is null)
        {
            return;
        }
        try
        {
            using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false));
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _output(stream, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The run was killed and its streams closed: the lines already read are what it said.
        }
    }
}
