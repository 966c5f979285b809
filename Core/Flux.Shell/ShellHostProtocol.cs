// The messages between job-exec and a shell host (flux-shell --host): one definition of their
// topics and fields, used by both sides.
namespace Flux.Shell;

/// <summary>
/// job-exec sends <c>SERVICE.run</c> (streaming) with {id, userid, jobspec, R, namespace, attributes?}
/// (attributes: the <see cref="ShellAttributes"/> it read for the job; without them the shell asks the broker); the host
/// answers with {type:"event", name, context} for each RFC 50 exec event the shell posts (shell.init,
/// shell.start, in that order), {type:"started", pids} once the tasks run, then {type:"exit", code} and
/// ENODATA; a shell that cannot run the job answers with an RFC 6 error. <c>SERVICE.kill</c> {id,
/// signum} signals a job's tasks. The host writes <see cref="ReadyLine"/> on its stdout once its
/// service is registered.
/// With <see cref="ReconnectFlag"/> (job-exec always passes it) a host whose broker connection
/// closes keeps its tasks running and connects again (the URI from <see cref="UriFileOption"/>'s file,
/// else the one it started with) for up to <see cref="ReconnectTimeoutOption"/>; once back it sends
/// <see cref="Hello"/> {service, pid, jobs} to the restarted job-exec, which takes each job over with
/// <c>SERVICE.reattach</c> {id} (streaming): {type:"started", pids} if the tasks run, then
/// {type:"exit", code} and ENODATA as for <c>run</c>.
/// </summary>
public static class ShellHostProtocol
{
    /// <summary>The host's stdout line that says it serves requests.</summary>
    public const string ReadyLine = "flux-shell-host ready";

    /// <summary>The command-line flag that starts the host mode.</summary>
    public const string HostFlag = "--host";

    /// <summary>The command-line option that names the host's service.</summary>
    public const string ServiceOption = "--service=";

    /// <summary>The command-line flag that makes the host survive a broker restart (flux-shell(1) --reconnect).</summary>
    public const string ReconnectFlag = "--reconnect";

    /// <summary>How long a host tries to reconnect, in FSD (e.g. <c>5m</c>), before it kills its tasks and exits.</summary>
    public const string ReconnectTimeoutOption = "--reconnect-timeout=";

    /// <summary>A file holding the broker's current URI, rewritten by each broker's job-exec (its rundir changes with each start).</summary>
    public const string UriFileOption = "--uri-file=";

    /// <summary>The request a reconnected host sends job-exec: {service, pid, jobs: [id...]}.</summary>
    public const string Hello = "job-exec.shell-hello";

    public const string Run = ".run";

    public const string Reattach = ".reattach";

    public const string Kill = ".kill";

    /// <summary>
    /// The service of the host of one user: <c>USERID-shell-host-BROKERPID-N</c> (a guest may only
    /// register USERID-*). The broker's pid keeps a host that returns after a restart from sharing a
    /// name with one the new broker starts.
    /// </summary>
    public static string ServiceName(uint userid, int brokerPid, int generation) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{userid}-shell-host-{brokerPid}-{generation}");
}
