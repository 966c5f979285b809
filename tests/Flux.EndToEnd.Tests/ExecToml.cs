// The [exec] config the end-to-end tests start instances with: where the job shells run, and any more keys.
namespace Flux.EndToEnd.Tests;

internal static class ExecToml
{
    /// <summary>
    /// Writes <c>DIR/exec.toml</c> with <c>[exec] shell-host = SHELLHOST</c> ("broker": the shell inside
    /// the broker; "process": in flux-shell --host) and <paramref name="more"/> keys; returns
    /// <paramref name="dir"/> (created if needed) for <c>flux start --config-path</c>.
    /// </summary>
    public static string Write(string dir, string shellHost, string more = "")
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "exec.toml"), $"[exec]\nshell-host = \"{shellHost}\"\n{more}");
        return dir;
    }
}
