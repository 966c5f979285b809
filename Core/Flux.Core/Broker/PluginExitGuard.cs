// Tells a plugin's Environment.Exit apart from the broker's own exit: log, message and exit status.
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>
/// Plugins run in the broker's process, so one that calls <c>Environment.Exit(3)</c> ends the
/// broker, and <c>flux start</c> (which is the broker after exec) would exit 3 as if the user's
/// command had. While armed, this guard catches such an exit (the process's exit event with the
/// broker not returning from its main body): it says on stderr and in the log that a plugin ended
/// the broker, names the module whose loop was blocked in the call when it can, removes the
/// private rundir, and replaces the exit status with <see cref="ExitStatus"/>. The initial program
/// is signalled by the kernel when the process is gone (see <see cref="InitialProgram"/>).
/// </summary>
internal sealed class PluginExitGuard : IDisposable
{
    /// <summary>The exit status of a broker ended by a plugin (EX_SOFTWARE, sysexits.h).</summary>
    public const int ExitStatus = 70;

    // Long enough for an idle module loop to run one probe; the caller's loop never runs it.
    private static readonly TimeSpan ProbeTime = TimeSpan.FromMilliseconds(250);
    private readonly Broker _broker;
    private readonly string _prog;
    private int _armed = 1;

    /// <summary>Arms the guard for a broker whose messages are prefixed with <paramref name="prog"/>.</summary>
    public PluginExitGuard(Broker broker, string prog)
    {
        _broker = broker;
        _prog = prog;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Disarms it: the broker is returning its own exit status.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _armed, 0);
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }
        var code = Environment.ExitCode;
        var busy = BlockedModules();
        var who = busy.Count switch
        {
            0 => "plugin code outside any module's loop",
            1 => $"module {busy[0]}",
            _ => $"one of the modules {string.Join(", ", busy)}",
        };
        var text = string.Create(CultureInfo.InvariantCulture,
            $"a plugin ended the broker: Environment.Exit({code}) called by {who}; exiting with status {ExitStatus} (not the initial program's)");
        BrokerLog.PluginEndedProcess(_broker.Logger, text);
        Console.Error.WriteLine($"{_prog}: {text}");
        _broker.RemoveRundir();
        Environment.ExitCode = ExitStatus;
    }

    // The exiting thread is blocked inside Environment.Exit while this runs on another thread: the
    // module whose loop does not run a probe in time is the one that called it.
    private List<string> BlockedModules()
    {
        var probes = _broker.Modules.Modules.Select(m => (m.Name, Probe: m.Actor.RunAsync(() => Task.CompletedTask))).ToList();
        try
        {
            Task.WhenAll(probes.Select(p => p.Probe)).Wait(ProbeTime);
        }
        catch (AggregateException)
        {
            // A loop that is shutting down: it is not the caller.
        }
        return [.. probes.Where(p => !p.Probe.IsCompleted).Select(p => p.Name)];
    }
}
