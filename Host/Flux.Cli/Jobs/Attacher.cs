// Attaching to a job (flux job attach, flux run): its events, its output (RFC 24), stdin and signals.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Jobs;

internal sealed partial class Attacher(FluxHandle h, ulong id, string prog)
{
    private readonly string _key = Fluid.Encode(id, FluidEncoding.Kvs);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Stream _stderr = Console.OpenStandardError();
    private int? _status;
    private bool _fatal;
    private DateTime _lastInterrupt = DateTime.MinValue;
    private bool _canceling;
    private bool _terminating;
    private int? _detachCode;
    private CancellationTokenSource? _stop;
    // Cancelled at the job's clean event: stops the live output follow (see FollowOutputAsync).
    private CancellationTokenSource _clean = null!;

    public bool LabelIo { get; init; }

    public bool ForwardStdin { get; init; } = true;

    public bool ShowEvents { get; init; }

    /// <summary>Whether the job runs on a pty; null: read it from the job's jobspec.</summary>
    public bool? Pty { get; init; }

    /// <summary>The task ranks stdin goes to: "all" or an idset.</summary>
    public string StdinRanks { get; init; } = "all";

    /// <summary>
    /// Runs until the job is inactive and its output is drained; returns flux run's exit code. Throws
    /// ENOENT ("job ID not found") when there is no such job. A signal that cannot be forwarded (the
    /// job is not running) or a repeated one ends the wait at once with 128+N.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var clean = new CancellationTokenSource();
        _stop = stop;
        _clean = clean;
        // Ctrl-C and SIGTERM (also SIGALRM in flux-core) sent to flux run / attach go to the job's tasks.
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            OnInterrupt();
        });
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            OnTerminate();
        });
        try
        {
            return await AttachAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_detachCode is int code && !ct.IsCancellationRequested)
        {
            return code;
        }
        finally
        {
            _stop = null;
            await _stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<int> AttachAsync(CancellationTokenSource stop)
    {
        // A job on a pty: the local terminal goes raw, so keys reach the job's terminal as typed.
        using var raw = ForwardStdin && (Pty ?? await UsesPtyAsync(stop.Token).ConfigureAwait(false)) ? RawTerminal.TryEnter() : null;
        var events = FollowMainAsync(stop.Token);
        var output = FollowOutputAsync(stop.Token);
        Task stdin = ForwardStdinAsync(stop.Token);
        using var resize = raw is not null ? await ForwardWindowSizeAsync(stop.Token).ConfigureAwait(false) : null;
        await events.ConfigureAwait(false);
        await output.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        // Stdin forwarding ends with the job. A read of a terminal cannot be cancelled, so a
        // forwarder still waiting for a key is left behind (the process is about to exit), not
        // awaited: flux run must not wait for the user to type after the job is done.
        if (stdin.IsCompleted)
        {
            try
            {
                await stdin.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Cancelled before it read anything.
            }
        }
        else
        {
            _ = stdin.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        // As flux job status: a job ended by an exception failed, even when its tasks exited 0.
        return _status is int s ? JobExit.Code(s, !_fatal) : _fatal ? 1 : 0;
    }

    private async Task FollowMainAsync(CancellationToken ct)
    {
        double t0 = 0;
        // The job's eventlog exists once its submission is acknowledged: not waiting for it to be
        // created is what makes an unknown job an error (ENOENT) instead of a wait without end.
        await foreach (var e in EventlogFollower.FollowAsync(h, _key + ".eventlog", "primary", waitCreate: false, ct).ConfigureAwait(false))
        {
            if (t0 == 0)
            {
                t0 = e.Timestamp;
            }
            if (ShowEvents)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{e.Timestamp - t0:F3}s: job.{e.Name}")).ConfigureAwait(false);
            }
            switch (e.Name)
            {
                case "start":
                    _started.TrySetResult();
                    break;
                case "exception":
                    var c = e.Context;
                    var severity = c?["severity"]?.GetValue<int>() ?? 0;
                    _fatal |= severity == 0;
                    var line = $"{prog}: job.exception type={c?["type"]?.GetValue<string>()} severity={severity.ToString(CultureInfo.InvariantCulture)} {c?["note"]?.GetValue<string>()}";
                    await Console.Error.WriteLineAsync(line.TrimEnd()).ConfigureAwait(false);
                    break;
                case "finish":
                    _status = e.Context?["status"]?.GetValue<int>();
                    break;
                case "clean":
                    _started.TrySetResult();
                    _ended.TrySetResult();
                    await _clean.CancelAsync().ConfigureAwait(false);
                    return;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// Prints the job's output: live from its guest namespace while it runs, then the rest from the
    /// copy in <c>job.ID.guest.output</c> once the job is inactive (the copy is made before the job's
    /// <c>clean</c>). The live follow stops at clean whatever it is waiting for: the namespace may be
    /// gone already, or (a flux-core broker) a watch of a missing namespace may wait for it forever.
    /// </summary>
    private async Task FollowOutputAsync(CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct).ConfigureAwait(false);
        var eofs = new HashSet<string>(StringComparer.Ordinal);
        var expected = -1;
        var handled = 0;
        if (!_ended.Task.IsCompleted)
        {
            using var live = CancellationTokenSource.CreateLinkedTokenSource(ct, _clean.Token);
            try
            {
                await foreach (var e in EventlogFollower.FollowAsync(h, "output", $"job-{id}", waitCreate: true, live.Token).ConfigureAwait(false))
                {
                    handled++;
                    expected = await HandleOutput(e, eofs).ConfigureAwait(false) ?? expected;
                    if (expected >= 0 && eofs.Count >= expected)
                    {
                        // The shell may still log after the tasks' streams end (task.exit and shell.finish
                        // handlers of an initrc): those come from the copy below once the job has ended.
                        break;
                    }
                }
            }
            catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.EOPNOTSUPP)
            {
                // The job finished and its namespace is gone: the rest is in the copy below.
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The job is inactive: the rest is in the copy below.
            }
        }
        await _ended.Task.WaitAsync(ct).ConfigureAwait(false);
        var log = await EventlogFollower.ReadAsync(h, _key + ".guest.output", "primary", ct).ConfigureAwait(false);
        // The copy holds the same events in the same order: skip those already printed.
        foreach (var e in (log ?? []).Skip(handled))
        {
            await HandleOutput(e, eofs).ConfigureAwait(false);
        }
    }

    /// <summary>Prints one output event; returns the number of eof events to expect when it is the header.</summary>
    private async Task<int?> HandleOutput(EventlogEntry e, HashSet<string> eofs)
    {
        var c = e.Context;
        switch (e.Name)
        {
            case "header":
                var counts = c?["count"] as JsonObject;
                return counts?.Sum(kv => kv.Value?.GetValue<int>() ?? 0);
            case "data":
                var stream = c?["stream"]?.GetValue<string>() ?? "stdout";
                var rank = c?["rank"]?.GetValue<string>() ?? "0";
                if (c?["data"]?.GetValue<string>() is { } data)
                {
                    var bytes = c["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(data);
                    var w = stream == "stderr" ? _stderr : _stdout;
                    if (LabelIo)
                    {
                        await w.WriteAsync(Encoding.UTF8.GetBytes(rank + ": ")).ConfigureAwait(false);
                    }
                    await w.WriteAsync(bytes).ConfigureAwait(false);
                    if (stream == "stderr")
                    {
                        await w.FlushAsync().ConfigureAwait(false);
                    }
                }
                if (c?["eof"]?.GetValue<bool>() == true)
                {
                    eofs.Add(stream + ":" + rank);
                }
                break;
            case "log":
                await Console.Error.WriteLineAsync($"flux-shell[{c?["rank"]?.GetValue<int>() ?? 0}]: {LevelName(c?["level"]?.GetValue<int>() ?? 3)}: {c?["message"]?.GetValue<string>()}").ConfigureAwait(false);
                break;
            default:
                break;
        }
        return null;
    }

    private static string LevelName(int level) => level switch
    {
        <= 2 => "FATAL",
        3 => "ERROR",
        4 => "WARN",
        // The shell's log levels (flux-shell-initrc(5)): shell.log is INFO, -o verbose shows DEBUG, verbose=2 TRACE.
        5 or 6 => "INFO",
        7 => "DEBUG",
        _ => "TRACE",
    };

    /// <summary>
    /// The local terminal's size goes to the job's terminals once the job has started, and again on
    /// every SIGWINCH (the local window was resized). Dispose the result to stop.
    /// </summary>
    private async Task<IDisposable?> ForwardWindowSizeAsync(CancellationToken ct)
    {
        try
        {
            await _started.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        var service = await ShellServiceAsync(ct).ConfigureAwait(false);
        void Send()
        {
            int rows, columns;
            try
            {
                (rows, columns) = (Console.WindowHeight, Console.WindowWidth);
            }
            catch (IOException)
            {
                return; // no terminal to measure after all
            }
            if (rows > 0 && columns > 0)
            {
                _ = h.RpcAsync(service + ".pty-resize", new JsonObject { ["rows"] = rows, ["columns"] = columns, ["rank"] = StdinRanks }, NodeId.Any, ct)
                    .ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
        Send();
        return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGWINCH, c =>
        {
            c.Cancel = true;
            Send();
        });
    }

    private async Task ForwardStdinAsync(CancellationToken ct)
    {
        if (!ForwardStdin)
        {
            return;
        }
        await _started.Task.WaitAsync(ct).ConfigureAwait(false);
        var service = await ShellServiceAsync(ct).ConfigureAwait(false);
        var input = Console.OpenStandardInput();
        var buf = new byte[64 * 1024];
        while (true)
        {
            var n = await input.ReadAsync(buf, ct).ConfigureAwait(false);
            var req = new JsonObject { ["stream"] = "stdin", ["rank"] = StdinRanks };
            if (n == 0)
            {
                req["eof"] = true;
            }
            else
            {
                req["data"] = Convert.ToBase64String(buf, 0, n);
                req["encoding"] = "base64";
            }
            try
            {
                await h.RpcAsync(service + ".stdin", req, NodeId.Any, ct).ConfigureAwait(false);
            }
            catch (FluxException)
            {
                return;
            }
            if (n == 0)
            {
                return;
            }
        }
    }

    /// <summary>Whether a jobspec asks for a pty (flux run --pty, -o pty...).</summary>
    public static bool JobspecUsesPty(JsonNode? jobspec)
    {
        var pty = jobspec?["attributes"]?["system"]?["shell"]?["options"]?["pty"];
        return pty is not null && pty.GetValueKind() is not (System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Null);
    }

    // The pty shell option in the job's jobspec, read from the KVS (flux job attach).
    private async Task<bool> UsesPtyAsync(CancellationToken ct)
    {
        try
        {
            return JobspecUsesPty(await Flux.Abstractions.Kvs.KvsExtensions.KvsGetJsonAsync(h, _key + ".jobspec", cancellationToken: ct).ConfigureAwait(false));
        }
        catch (FluxException)
        {
            return false;
        }
    }

    private async Task<string> ShellServiceAsync(CancellationToken ct)
    {
        var log = await EventlogFollower.ReadAsync(h, _key + ".eventlog", "primary", ct).ConfigureAwait(false);
        var submit = log is { Count: > 0 } ? log[0] : null;
        var uid = submit?.Context?["userid"]?.GetValue<uint>() ?? 0;
        return string.Create(CultureInfo.InvariantCulture, $"{uid}-shell-{id}");
    }
}
