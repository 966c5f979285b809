// flux exec's processes: their rexec.exec streams, output, stdin with credit, signals and exit code (flux-exec.c).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.Cli.Commands;

/// <summary>
/// The processes one <c>flux exec</c> started, as src/cmd/flux-exec.c drives them: output written as it
/// arrives (prefixed "RANK: " with --label-io), stdin read only while every running process has
/// credit for it and sent to each, the exit code the largest of theirs.
/// </summary>
internal sealed class ExecCommandSession(FluxHandle h, string argv0, bool labelIo, bool flow, bool verbose)
{
    // flux-exec.c INTERRUPT_MILLISECS: the time within which a third Ctrl-C gives up.
    private static readonly TimeSpan InterruptWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<ExecCommandRemote> _remotes = [];
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Stream _stderr = Console.OpenStandardError();
    private readonly Lock _output = new();
    private readonly LineLabels _labels = new();
    private readonly TaskCompletionSource<int> _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string What, List<uint> Ranks)> _exitSets = [];
    private TaskCompletionSource _credit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _exitCode;
    private int _sigints;
    private DateTime _lastSigint;

    /// <summary>Whether three Ctrl-C gave up on the processes.</summary>
    public bool GaveUp => _gaveUp.Task.IsCompleted;

    /// <summary>How many processes have ended (exited or failed).</summary>
    public int Exited
    {
        get
        {
            lock (_lock)
            {
                return _remotes.Count(r => r.Done);
            }
        }
    }

    /// <summary>Sends the exec request for <paramref name="rank"/> and follows its responses.</summary>
    public void Start(uint rank, JsonObject payload, CancellationToken ct)
    {
        var r = new ExecCommandRemote(rank, Message.Request("rexec.exec", payload, rank));
        lock (_lock)
        {
            _remotes.Add(r);
        }
        r.Completion = FollowAsync(r, ct);
    }

    /// <summary>Waits for every process; returns the exit code (1 when three Ctrl-C gave up).</summary>
    public async Task<int> RunAsync(bool forwardStdin, CancellationToken ct)
    {
        var all = Task.WhenAll(_remotes.Select(r => r.Completion));
        var stdin = forwardStdin ? ForwardStdinAsync(ct) : CloseStdinAsync();
        if (await Task.WhenAny(all, _gaveUp.Task).ConfigureAwait(false) == _gaveUp.Task)
        {
            return await _gaveUp.Task.ConfigureAwait(false);
        }
        await all.ConfigureAwait(false);
        // A read of a terminal cannot be cancelled: a forwarder still waiting for input is left
        // behind (the command is about to exit), its fault observed.
        if (stdin.IsCompleted)
        {
            await stdin.ConfigureAwait(false);
        }
        else
        {
            _ = stdin.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return _exitCode;
    }

    /// <summary>"Exit N" or the signal's name, each with the ranks it applies to (flux-exec.c output_exitsets).</summary>
    public IEnumerable<(string What, string Ranks)> ExitSets()
    {
        lock (_lock)
        {
            return [.. _exitSets.Select(s => (s.What, new IdSet(s.Ranks).ToString()))];
        }
    }

    /// <summary>
    /// flux-exec.c signal_cb: the signal goes to every running process; a third Ctrl-C within a
    /// second of the one before gives up ("RANKS: command still running at exit", exit 1).
    /// </summary>
    public void OnSignal(int signum)
    {
        var now = DateTime.UtcNow;
        List<ExecCommandRemote> running;
        lock (_lock)
        {
            if (signum == 2 && _sigints >= 2 && now - _lastSigint < InterruptWindow)
            {
                var hanging = new IdSet(_remotes.Where(r => !r.Done).Select(r => r.Rank));
                Console.Error.WriteLine($"{hanging}: command still running at exit");
                _gaveUp.TrySetResult(1);
                return;
            }
            running = [.. _remotes.Where(r => r.Running)];
        }
        if (verbose)
        {
            Console.Error.WriteLine($"sending signal {signum} to {running.Count} running processes");
        }
        foreach (var r in running)
        {
            var rank = r.Rank;
            _ = h.RpcAsync("rexec.kill", new JsonObject { ["pid"] = r.Pid, ["signum"] = signum }, rank).ContinueWith(t =>
            {
                // Observed either way; said only with -v, as flux-exec.c.
                var why = t.Exception!.InnerException!.Message;
                if (verbose)
                {
                    Console.Error.WriteLine($"failed to signal rank {rank}: {why}");
                }
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        if (signum == 2)
        {
            lock (_lock)
            {
                if (_sigints > 0)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"interrupt (Ctrl+C) one more time within {InterruptWindow.TotalSeconds:F2} sec to exit"));
                }
                _lastSigint = now;
                _sigints++;
            }
        }
    }

    private async Task FollowAsync(ExecCommandRemote r, CancellationToken ct)
    {
        try
        {
            await foreach (var m in h.StreamAsync(r.Request, ct).ConfigureAwait(false))
            {
                var o = m.GetJson();
                switch (o["type"]?.GetValue<string>())
                {
                    case "started":
                        r.Pid = o["pid"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "rexec.exec: started response without pid");
                        r.Started.TrySetResult(true);
                        break;
                    case "add-credit":
                        lock (_lock)
                        {
                            r.Credits += o["channels"]?["stdin"]?.GetValue<int>() ?? 0;
                        }
                        PokeCredit();
                        break;
                    case "output":
                        WriteOutput(r.Rank, o["io"]);
                        break;
                    case "finished":
                        r.Status = o["status"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "rexec.exec: finished response without status");
                        break;
                    case "stopped":
                        break;
                    case var type:
                        throw new FluxException(Errno.EPROTO, $"rexec.exec: unknown response type '{type}'");
                }
            }
        }
        catch (FluxException ex) when (r.Status is null)
        {
            r.Failure = ex;
            await Console.Error.WriteLineAsync($"flux-exec: Error: rank {r.Rank}: {argv0}: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                r.Done = true;
                Complete(r);
            }
            r.Started.TrySetResult(r.Pid > 0);
            PokeCredit();
        }
    }

    // flux-exec.c completion_cb and state_cb's failure case: the exit code, and the exit sets.
    private void Complete(ExecCommandRemote r)
    {
        if (r.Failure is { } f)
        {
            // bash's convention: 126 not permitted, 127 not found; 68 (EX_NOHOST) no route to host.
            var failed = f.Errnum switch
            {
                Errno.EPERM or Errno.EACCES => 126,
                Errno.ENOENT => 127,
                Errno.EHOSTUNREACH => 68,
                _ => 1,
            };
            _exitCode = Math.Max(_exitCode, failed);
            return;
        }
        if (r.Status is not { } status)
        {
            return;
        }
        var signaled = (status & 0x7f) != 0;
        var code = signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
        _exitCode = Math.Max(_exitCode, code);
        if (code > 0)
        {
            var what = signaled ? ExecCommandSignals.Describe(status & 0x7f) : $"Exit {code}";
            var set = _exitSets.FindIndex(s => s.What == what);
            if (set < 0)
            {
                _exitSets.Add((what, [r.Rank]));
            }
            else
            {
                _exitSets[set].Ranks.Add(r.Rank);
            }
        }
    }

    private void WriteOutput(uint rank, JsonNode? io)
    {
        var data = io?["data"]?.GetValue<string>() is { } text
            ? io["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text)
            : [];
        if (data.Length == 0)
        {
            return;
        }
        var stream = io!["stream"]?.GetValue<string>() ?? "stdout";
        var w = stream == "stderr" ? _stderr : _stdout;
        lock (_output)
        {
            w.Write(labelIo ? _labels.Apply(stream, rank.ToString(CultureInfo.InvariantCulture), data) : data);
            w.Flush();
        }
    }

    private void PokeCredit()
    {
        TaskCompletionSource old;
        lock (_lock)
        {
            old = _credit;
            _credit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    // -n: every process's stdin is closed once it has started.
    private async Task CloseStdinAsync()
    {
        foreach (var r in _remotes)
        {
            if (await r.Started.Task.ConfigureAwait(false))
            {
                Write(r, [], eof: true);
            }
        }
    }

    // flux-exec.c stdin_cb: stdin is read once every process has started, at most the smallest
    // credit of the running processes at a time (without flow control, as it comes), and sent to
    // each; its end of file closes every process's stdin.
    private async Task ForwardStdinAsync(CancellationToken ct)
    {
        await Task.WhenAll(_remotes.Select(r => r.Started.Task)).ConfigureAwait(false);
        var input = Console.OpenStandardInput();
        var buf = new byte[1 << 20];
        while (true)
        {
            var max = buf.Length;
            while (flow)
            {
                Task wait;
                lock (_lock)
                {
                    var running = _remotes.Where(r => r.Running).ToList();
                    if (running.Count == 0)
                    {
                        return;
                    }
                    var min = running.Min(r => r.Credits);
                    if (min > 0)
                    {
                        max = Math.Min(max, min);
                        break;
                    }
                    wait = _credit.Task;
                }
                await wait.WaitAsync(ct).ConfigureAwait(false);
            }
            var n = await input.ReadAsync(buf.AsMemory(0, max), ct).ConfigureAwait(false);
            List<ExecCommandRemote> targets;
            lock (_lock)
            {
                targets = [.. _remotes.Where(r => r.Running)];
                foreach (var r in targets)
                {
                    r.Credits -= n;
                }
            }
            foreach (var r in targets)
            {
                Write(r, buf.AsSpan(0, n), eof: n == 0);
            }
            if (n == 0 || targets.Count == 0)
            {
                return;
            }
        }
    }

    // flux-core's subprocess_write: NORESPONSE, the exec request's matchtag, an io object of rank "0".
    private void Write(ExecCommandRemote r, ReadOnlySpan<byte> data, bool eof)
    {
        var io = IoEncoding.Encode("stdin", "0", data, eof);
        var m = Message.Request("rexec.write", new JsonObject { ["matchtag"] = r.Request.Matchtag, ["io"] = io }, r.Rank);
        m.Flags |= MessageFlags.NoResponse;
        try
        {
            h.Send(m);
        }
        catch (FluxException)
        {
            // The connection is gone: the process's stream ends with the error.
        }
    }
}
