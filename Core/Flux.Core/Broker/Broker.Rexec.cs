// The broker's rexec service (flux exec): RFC 42 subprocess server, see Rexec/RexecServer.cs.
using Flux.Client.Handle;
using Flux.Core.Rexec;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    // How long shutdown waits for killed rexec processes to be reaped and their output drained.
    private static readonly TimeSpan RexecShutdownGrace = TimeSpan.FromSeconds(10);

    private RexecServer? _rexec;

    private void RegisterRexec(FluxHandle h)
    {
        _rexec = new RexecServer(h, Router.Rank, () => LocalUri, _log);
        _rexec.Register();
    }

    // flux-core's broker shuts its subprocess server down before rc3: the processes are killed.
    private Task ShutdownRexecAsync() => _rexec?.ShutdownAsync(RexecShutdownGrace) ?? Task.CompletedTask;
}
