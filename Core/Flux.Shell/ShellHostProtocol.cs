// The messages between job-exec and a shell host (flux-shell --host): one definition of their
// topics and fields, used by both sides.
namespace Flux.Shell;

/// <summary>
/// job-exec sends <c>SERVICE.run</c> (streaming) with {id, userid, jobspec, R, namespace}; the host
/// answers with {type:"event", name, context} for each RFC 50 exec event the shell posts (shell.init,
/// shell.start, in that order), {type:"started", pids} once the tasks run, then {type:"exit", code} and
/// ENODATA; a shell that cannot run the job answers with an RFC 6 error. <c>SERVICE.kill</c> {id,
/// signum} signals a job's tasks. The host writes <see cref="ReadyLine"/> on its stdout once its
/// service is registered.
/// </summary>
public static class ShellHostProtocol
{
    /// <summary>The host's stdout line that says it serves requests.</summary>
    public const string ReadyLine = "flux-shell-host ready";

    /// <summary>The command-line flag that starts the host mode.</summary>
    public const string HostFlag = "--host";

    /// <summary>The command-line option that names the host's service.</summary>
    public const string ServiceOption = "--service=";

    public const string Run = ".run";

    public const string Kill = ".kill";

    /// <summary>The service of the host of one user: <c>USERID-shell-host-N</c> (a guest may only register USERID-*).</summary>
    public static string ServiceName(uint userid, int generation) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{userid}-shell-host-{generation}");
}
