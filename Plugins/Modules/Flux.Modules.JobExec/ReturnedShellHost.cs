// A shell host started by an earlier broker that reconnected to this one (flux-shell --reconnect).
namespace Flux.Modules.JobExec;

internal sealed class ReturnedShellHost(string service, int pid) : IShellHost
{
    public string Service { get; } = service;

    public int Pid { get; } = pid;

    public HashSet<HostedShell> Jobs { get; } = [];
}
