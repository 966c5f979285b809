// Runs a broker as a process does: signals, start-up errors, the initial program, exit code.
using System.Runtime.InteropServices;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>
/// The body of <c>flux-broker</c> and <c>flux start</c>. SIGTERM shuts the broker down; SIGINT
/// does too when there is no initial program (with one, the program, which shares the terminal,
/// gets it); SIGHUP re-reads the configuration. Returns the initial program's exit code, or 0; 1
/// instead of 0 when a module failed while unloading.
/// </summary>
public static class BrokerRunner
{
    /// <summary>Starts, runs and stops a broker; prints start-up errors to stderr with a prefix.</summary>
    public static async Task<int> RunAsync(BrokerOptions options, string prog)
    {
        ArgumentNullException.ThrowIfNull(options);
        Broker broker;
        try
        {
            broker = new Broker(options);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{prog}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        var hasProgram = options.InitialProgram is { Count: > 0 };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            broker.RequestShutdown("received SIGTERM");
        });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            if (!hasProgram)
            {
                broker.RequestShutdown("received SIGINT");
            }
        });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            BackgroundWork.Run(broker.ReloadConfigFromSignalAsync, broker.Logger, "config reload on SIGHUP");
        });
        int rc;
        await using (broker.ConfigureAwait(false))
        {
            try
            {
                await broker.StartAsync().ConfigureAwait(false);
            }
            catch (FluxException ex)
            {
                await Console.Error.WriteLineAsync($"{prog}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            rc = await broker.RunAsync().ConfigureAwait(false);
        }
        // A module that failed at shutdown (blobs it could not write, say) must not end in a silent 0.
        if (rc == 0 && broker.Modules.UnloadErrors > 0)
        {
            await Console.Error.WriteLineAsync($"{prog}: {broker.Modules.UnloadErrors} module(s) failed at shutdown (see the log above)").ConfigureAwait(false);
            rc = 1;
        }
        return rc;
    }
}
