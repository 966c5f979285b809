// A flux instance that stays up while a test starts commands in it, each a real process the test can signal.
using System.Diagnostics;

namespace Flux.EndToEnd.Tests;

/// <summary>
/// <c>flux start</c> whose initial program prints its FLUX_URI and waits for its stdin to close, so a
/// test can run commands against it (<see cref="Start"/>) as a user would from another terminal,
/// signal them, and see how they end. Disposing closes that stdin: the instance shuts down.
/// </summary>
internal sealed class LiveInstance : IAsyncDisposable
{
    private readonly Process _broker;

    private LiveInstance(Process broker, string uri)
    {
        _broker = broker;
        Uri = uri;
    }

    public string Uri { get; }

    public static async Task<LiveInstance> StartAsync()
    {
        var psi = new ProcessStartInfo(FluxProcess.FluxExe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["start", "sh", "-c", "echo \"$FLUX_URI\"; cat >/dev/null"])
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("FLUX_URI");
        var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        var uri = await Await.Within(p.StandardOutput.ReadLineAsync(), "the instance's FLUX_URI from its initial program");
        return new LiveInstance(p, uri ?? throw new InvalidOperationException("flux start ended before printing FLUX_URI"));
    }

    /// <summary>Starts <c>flux ARGS</c> in this instance, with its own default signal dispositions.</summary>
    public Command Start(params string[] args)
    {
        var psi = new ProcessStartInfo(FluxProcess.FluxExe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["FLUX_URI"] = Uri;
        psi.Environment["PATH"] = FluxProcess.Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        return new Command(Process.Start(psi)!, string.Join(' ', args));
    }

    /// <summary>Runs <c>flux ARGS</c> in this instance to its end.</summary>
    public Task<FluxResult> RunAsync(params string[] args) =>
        FluxProcess.RunAsync(args, env: new Dictionary<string, string> { ["FLUX_URI"] = Uri });

    public async ValueTask DisposeAsync()
    {
        _broker.StandardInput.Close();
        using var cts = new CancellationTokenSource(Await.Limit);
        try
        {
            await _broker.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _broker.Kill(entireProcessTree: true);
        }
        _broker.Dispose();
    }

    /// <summary>A running flux command: its stderr as it comes, signals, and its end.</summary>
    public sealed class Command : IDisposable
    {
        private readonly Process _p;
        private readonly string _what;
        private readonly Task<string> _stdout;
        private readonly System.Text.StringBuilder _stderr = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        internal Command(Process p, string what)
        {
            _p = p;
            _what = what;
            _p.StandardInput.Close();
            _stdout = _p.StandardOutput.ReadToEndAsync();
            _p.ErrorDataReceived += (_, e) =>
            {
                lock (_waits)
                {
                    _stderr.AppendLine(e.Data);
                    foreach (var (text, seen) in _waits)
                    {
                        if (_stderr.ToString().Contains(text, StringComparison.Ordinal))
                        {
                            seen.TrySetResult();
                        }
                    }
                }
            };
            _p.BeginErrorReadLine();
        }

        public int Pid => _p.Id;

        /// <summary>Completes once <paramref name="text"/> has appeared on the command's stderr.</summary>
        public Task StderrContainsAsync(string text)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                _waits.Add((text, seen));
                if (_stderr.ToString().Contains(text, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
            return Await.Within(seen.Task, $"'{text}' on the stderr of flux {_what}");
        }

        /// <summary>
        /// Completes once the command holds a socket (it has connected to the broker, and sends its
        /// request right after), polling its descriptors a bounded number of times.
        /// </summary>
        public async Task ConnectedAsync()
        {
            var deadline = DateTime.UtcNow + Await.Limit;
            while (DateTime.UtcNow < deadline && !_p.HasExited)
            {
                if (HoldsSocket())
                {
                    return;
                }
                await Task.Delay(20);
            }
            throw new TimeoutException($"flux {_what} did not connect to the instance within {Await.Limit.TotalSeconds}s (exited: {_p.HasExited})");
        }

        /// <summary>Sends a signal with kill(1), as a user at another terminal would.</summary>
        public void Signal(string name)
        {
            using var kill = Process.Start("kill", ["-" + name, _p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(kill.WaitForExit(Await.Limit) && kill.ExitCode == 0, $"kill -{name} {_p.Id} failed");
        }

        /// <summary>
        /// Completes once signal <paramref name="signum"/> is no longer pending for the command (its handler
        /// has taken it): two signals of a kind sent back to back may otherwise arrive as one.
        /// </summary>
        public async Task SignalTakenAsync(int signum)
        {
            var bit = 1UL << (signum - 1);
            var deadline = DateTime.UtcNow + Await.Limit;
            while (DateTime.UtcNow < deadline && !_p.HasExited)
            {
                var pending = File.ReadLines($"/proc/{_p.Id}/status")
                    .Where(l => l.StartsWith("SigPnd:", StringComparison.Ordinal) || l.StartsWith("ShdPnd:", StringComparison.Ordinal))
                    .Select(l => ulong.Parse(l[7..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))
                    .Aggregate(0UL, (a, b) => a | b);
                if ((pending & bit) == 0)
                {
                    return;
                }
                await Task.Delay(10);
            }
        }

        /// <summary>Waits for the command to end (within <paramref name="within"/>); returns its exit code and output.</summary>
        public async Task<FluxResult> EndedAsync(TimeSpan within)
        {
            using var cts = new CancellationTokenSource(within);
            try
            {
                await _p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _p.Kill(entireProcessTree: true);
                throw new TimeoutException($"flux {_what} did not end within {within.TotalSeconds}s of the signal:\n{_stderr}");
            }
            string err;
            lock (_waits)
            {
                err = _stderr.ToString();
            }
            return new FluxResult(_p.ExitCode, await _stdout, err);
        }

        public void Dispose()
        {
            if (!_p.HasExited)
            {
                _p.Kill(entireProcessTree: true);
            }
            _p.Dispose();
        }

        private bool HoldsSocket()
        {
            try
            {
                return Directory.EnumerateFileSystemEntries($"/proc/{_p.Id}/fd")
                    .Any(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
