// Runs a broker as a process does: limits, signals, start-up errors, the initial program, exit code.
using System.Runtime.InteropServices;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Core.Broker;

/// <summary>
/// The body of <c>flux-broker</c> and <c>flux start</c>. The soft descriptor limit is raised to the
/// hard limit first. SIGTERM shuts the broker down; SIGINT does too unless the initial program is
/// running (then the program, which shares the terminal, gets it); either one during start-up
/// cancels the rc1 module loads. SIGHUP re-reads the configuration. Shutdown takes at most the
/// shutdown grace (<c>broker.shutdown-grace</c>) for the program and again for the modules.
/// Returns the initial program's exit code, or 0; 1 for a start-up error; 128+N when signal N ended
/// start-up; <see cref="PluginExitGuard.ExitStatus"/> when a plugin ended the process; 1 instead of 0
/// when a module failed while unloading (data it could not write, say).
/// </summary>
public static class BrokerRunner
{
    /// <summary>Starts, runs and stops a broker; prints start-up errors to stderr with a prefix.</summary>
    public static async Task<int> RunAsync(BrokerOptions options, string prog)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Before the first socket: a request reaching a broker at rest is routed on the thread the
        // socket engine wakes, without waking a pool worker too (flux ping at rest: InlineSocketCompletions).
        var engine = Flux.Client.Connectors.InlineSocketCompletions.EnableInBackground();
        StartupWarmUp.Start();
        Flux.Client.BrokerRuntimeSettings.Scrub();
        var (before, after) = DescriptorLimit.Raise();
        Broker broker;
        try
        {
            broker = new Broker(options) { SocketEngineStarted = engine };
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{prog}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        if (after > before)
        {
            BrokerLog.DescriptorLimitRaised(broker.Logger, before, after);
        }
        using var startup = new CancellationTokenSource();
        var signal = 0;
        void Stop(PosixSignalContext c, int signum, string reason)
        {
            c.Cancel = true;
            if (signum == 2 && broker.ProgramRunning)
            {
                return;
            }
            Interlocked.CompareExchange(ref signal, signum, 0);
            startup.Cancel();
            broker.RequestShutdown(reason);
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 15, "received SIGTERM"));
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 2, "received SIGINT"));
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            BackgroundWork.Run(broker.ReloadConfigFromSignalAsync, broker.Logger, "config reload on SIGHUP");
        });
        using var guard = new PluginExitGuard(broker, prog);
        int rc;
        try
        {
            try
            {
                await broker.StartAsync(startup.Token).ConfigureAwait(false);
                rc = await broker.RunAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (startup.IsCancellationRequested && ex is OperationCanceledException or FluxException { Errnum: Errno.ECANCELED })
            {
                // A signal during rc1: the module host reports the canceled load as ECANCELED
                // ("module content: load canceled"); the signal is the cause, and the status says so.
                await Console.Error.WriteLineAsync($"{prog}: start-up interrupted by signal {signal}").ConfigureAwait(false);
                rc = 128 + signal;
            }
            catch (Exception ex) when (ex is FluxException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                await Console.Error.WriteLineAsync($"{prog}: {ex.Message}").ConfigureAwait(false);
                rc = 1;
            }
        }
        finally
        {
            await StopAsync(broker).ConfigureAwait(false);
        }
        // A module that failed at shutdown (blobs it could not write, say) must not end in a silent 0.
        if (rc == 0 && broker.Modules.UnloadErrors > 0)
        {
            await Console.Error.WriteLineAsync($"{prog}: {broker.Modules.UnloadErrors} module(s) failed at shutdown (see the log above)").ConfigureAwait(false);
            rc = 1;
        }
        if (rc == 0 && broker.ContentDumpFailed)
        {
            await Console.Error.WriteLineAsync($"{prog}: content.dump failed at shutdown (see the log above)").ConfigureAwait(false);
            rc = 1;
        }
        return rc;
    }

    // Shutdown bounded by the grace: a module that does not let go is left to the process's exit.
    private static async Task StopAsync(Broker broker)
    {
        var grace = broker.Limits.ShutdownGrace;
        try
        {
            await broker.DisposeAsync().AsTask().WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            BrokerLog.ShutdownGraceExpired(broker.Logger, Fsd.Format(grace));
            broker.RemoveRundir();
        }
    }
}
