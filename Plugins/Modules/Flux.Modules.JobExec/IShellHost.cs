// A shell host as job-exec's jobs see it: one it started (ShellHostProcess), or one that came back
// after a broker restart (ReturnedShellHost).
namespace Flux.Modules.JobExec;

internal interface IShellHost
{
    /// <summary>The service the host registered (<c>USERID-shell-host-BROKERPID-N</c>).</summary>
    string Service { get; }

    int Pid { get; }

    /// <summary>The jobs running in this host now: each is told if the host is lost.</summary>
    HashSet<HostedShell> Jobs { get; }
}
