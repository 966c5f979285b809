// Hands this process over to flux-broker (execv), as flux-core's flux start does.
using Flux.Abstractions;
using Flux.Client;

namespace Flux.Cli;

/// <summary>
/// Replaces the <c>flux</c> process with <c>flux-broker</c> from the same folder, so that the
/// broker keeps the pid, the terminal and the signals a user sends to <c>flux start</c>, and its
/// exit code is the command's. The CLI never runs a broker in its own process: it is a client of
/// the broker runtime, not a host of it.
/// </summary>
internal static class BrokerExec
{
    /// <summary>The flux command itself, for an initial program that runs flux.</summary>
    public static string FluxExecutable => Path.Combine(AppContext.BaseDirectory, "flux");

    /// <summary>Runs flux-broker with a command line; returns only by throwing when it cannot.</summary>
    public static int Exec(BrokerCommandLine commandLine)
    {
        var path = Path.Combine(AppContext.BaseDirectory, BrokerCommandLine.BrokerProgram);
        if (!File.Exists(path))
        {
            throw new FluxException(Errno.ENOENT, $"{path}: No such file or directory (flux-broker is installed beside flux)");
        }
        foreach (var (name, value) in BrokerRuntimeSettings.ForExec())
        {
            NativeHandOver.SetNativeEnvironment(name, value);
        }
        Console.Out.Flush();
        Console.Error.Flush();
        var errno = NativeHandOver.Execv(path, [path, .. commandLine.ToArgs()]);
        throw new FluxException(errno, $"cannot run {path}: {Errno.Describe(errno)}");
    }
}
