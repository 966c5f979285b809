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
    // The shell's service name from its shell.init event; null when the shell never started.
    private readonly TaskCompletionSource<string?> _service = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _exec = Task.CompletedTask;
    private Task? _output;
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Stream _stderr = Console.OpenStandardError();
    private int? _status;
    private bool _fatal;
    private DateTime _lastInterrupt = DateTime.MinValue;
    private bool _canceling;
    private bool _terminating;
    private int? _detachCode;
    private CancellationTokenSource? _stop;

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
        _stop = stop;
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
        // As flux-core's attach: the main eventlog; from its submit event the exec eventlog; from the
        // shell's shell.init (or the exec complete event) the output log. Each watch is ended by the
        // job-info service when the job is done with it, so an inactive job ends the attach at once.
        var events = FollowMainAsync(stop.Token);
        Task stdin = ForwardStdinAsync(stop.Token);
        using var resize = raw is not null ? await ForwardWindowSizeAsync(stop.Token).ConfigureAwait(false) : null;
        await events.ConfigureAwait(false);
        await _exec.ConfigureAwait(false);
        // The exec eventlog may have ended without shell.init or complete (a watch that started
        // after the guest namespace was gone): the job is inactive now, so its output log is final.
        _output ??= FollowOutputAsync(0, stop.Token);
        await _output.ConfigureAwait(false);
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
        try
        {
            await FollowMainEventsAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            if (_exec == Task.CompletedTask)
            {
                // No submit event seen (no such job...): no shell will be found.
                _service.TrySetResult(null);
            }
        }
    }

    private async Task FollowMainEventsAsync(CancellationToken ct)
    {
        double t0 = 0;
        await foreach (var (_, e) in JobEventWatch.WatchAsync(h, id, "eventlog", 0, ct).ConfigureAwait(false))
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
                case "submit":
                    _exec = FollowExecAsync(ct);
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
                default:
                    break;
            }
        }
    }

    // The exec eventlog: the shell's service (for stdin) and when to start following output.
    private async Task FollowExecAsync(CancellationToken ct)
    {
        try
        {
            // WAITCREATE: the job-info service waits for the shell's log instead of answering ENOENT
            // when the watch starts before it exists.
            await foreach (var (_, e) in JobEventWatch.WatchAsync(h, id, "guest.exec.eventlog", JobEventWatch.WaitCreate, ct).ConfigureAwait(false))
            {
                switch (e.Name)
                {
                    case "shell.init":
                        _service.TrySetResult(e.Context?["service"]?.GetValue<string>());
                        // The shell opens its output log around shell.init: wait for it to be created.
                        _output ??= FollowOutputAsync(JobEventWatch.WaitCreate, ct);
                        break;
                    case "shell.start" when Debug:
                        // MPIR_being_debugged (--debug, --debug-emulate): the proctable, then SIGCONT if stopped in exec.
                        if (_service.Task.IsCompleted && await _service.Task.ConfigureAwait(false) is { } service)
                        {
                            await SetupMpirAsync(service, e.Context, ct).ConfigureAwait(false);
                        }
                        break;
                    case "complete":
                        // A shell that failed before shell.init may still have logged why.
                        _output ??= FollowOutputAsync(0, ct);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            // The job never ran (an exception before start): there is no exec eventlog.
        }
        finally
        {
            _service.TrySetResult(null);
        }
    }

    /// <summary>
    /// The local terminal's size goes to the job's terminals once the job has started, and again on
    /// every SIGWINCH (the local window was resized). Dispose the result to stop.
    /// </summary>
    private async Task<IDisposable?> ForwardWindowSizeAsync(CancellationToken ct)
    {
        string? service;
        try
        {
            service = await _service.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        if (service is null)
        {
            return null;
        }
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
        if (await _service.Task.WaitAsync(ct).ConfigureAwait(false) is not { } service)
        {
            return;
        }
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

}
