// Runs a flux instance on a pseudo-terminal (script(1)), for what a command does only when a user watches.
namespace Flux.EndToEnd.Tests;

internal static class Terminal
{
    /// <summary>
    /// Runs <c>flux start sh -c INNER</c> on a terminal: script(1) gives it one whose input stays
    /// open (as a user's would). Everything written to the terminal comes back as stdout.
    /// </summary>
    public static Task<FluxResult> StartOnATerminalAsync(string inner)
    {
        var cmd = $"{FluxProcess.FluxExe} start sh -c \"{inner.Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal)}\"";
        const string wrapper = "exec 3< <(sleep 60); keep=$!; script -qefc \"$1\" /dev/null <&3; rc=$?; kill $keep; exit $rc";
        return FluxProcess.RunAsync(["-c", wrapper, "wrapper", cmd], exe: "/bin/bash");
    }
}
